import { useState, type FormEvent } from 'react';
import { deprecateTemplate, undeprecateTemplate } from '../../api/templates';
import { ErrorText, fieldError, formatTime, useAction } from '../../components';
import type { TemplateDetail } from '../../types';

const STATE_TEXT = {
  active: 'active',
  deprecating: 'deprecating',
  deprecated: 'deprecated: not offered for new orders, still for reinstalls',
} as const;

/** The template's lifecycle: deprecate (now or from an EOL date, with a replacement) or undeprecate. */
export function LifecycleCard({ template, onSaved }: { template: TemplateDetail; onSaved: () => void }) {
  const [eol, setEol] = useState('');
  const [replacement, setReplacement] = useState('');
  const action = useAction();
  const deprecate = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      ...(eol ? { eolAt: `${eol}T00:00:00Z` } : {}),
      ...(replacement.trim() ? { replacementId: Number(replacement.trim()) } : {}),
    };
    if (await action.run(() => deprecateTemplate(template.id, body))) onSaved();
  };
  const undeprecate = async () => {
    if (await action.run(() => undeprecateTemplate(template.id))) onSaved();
  };
  return (
    <aside className="card" aria-label="Lifecycle">
      <h2>Lifecycle</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd data-lifecycle={template.lifecycle}>
          {template.lifecycle === 'deprecating' && template.eolAt
            ? `deprecating on ${formatTime(template.eolAt)}`
            : STATE_TEXT[template.lifecycle]}
        </dd>
        {template.eolAt ? (
          <>
            <dt>End of life</dt>
            <dd>{formatTime(template.eolAt)}</dd>
          </>
        ) : null}
        {template.replacementId ? (
          <>
            <dt>Replacement</dt>
            <dd>template #{template.replacementId}</dd>
          </>
        ) : null}
      </dl>
      {template.lifecycle === 'active' ? (
        <form className="form" onSubmit={(e) => void deprecate(e)} aria-label="Deprecate">
          <label>
            End-of-life date <span className="muted">(empty: now)</span>
            <input type="date" value={eol} onChange={(e) => setEol(e.target.value)} />
            <ErrorText error={fieldError(action.error, 'eolAt')} />
          </label>
          <label>
            Replacement template id <span className="muted">(optional)</span>
            <input inputMode="numeric" value={replacement} onChange={(e) => setReplacement(e.target.value)} />
            <ErrorText error={fieldError(action.error, 'replacementId')} />
          </label>
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              ⏷ Deprecate
            </button>
          </div>
        </form>
      ) : (
        <div className="buttons">
          <button type="button" disabled={action.busy} onClick={() => void undeprecate()}>
            ⏶ Undeprecate
          </button>
        </div>
      )}
      <ErrorText error={action.error} />
    </aside>
  );
}
