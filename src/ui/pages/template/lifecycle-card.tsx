import { useState, type FormEvent } from 'react';
import { deprecateTemplate, listTemplates, undeprecateTemplate } from '../../api/templates';
import { ErrorText, fieldError, formatEol, useAction, useLoad } from '../../components';
import type { TemplateDetail } from '../../types';

const STATE_TEXT = {
  active: 'active',
  deprecating: 'deprecating',
  deprecated: 'deprecated: not offered for new orders, still for reinstalls',
} as const;

/** The template's lifecycle: deprecate (now or from an EOL date, with a replacement) or undeprecate. */
export function LifecycleCard(props: { template: TemplateDetail; typeId: number; onSaved: () => void }) {
  const { template, typeId, onSaved } = props;
  const [eol, setEol] = useState('');
  const [replacement, setReplacement] = useState('');
  const action = useAction();
  // What may replace it: the other templates of its parameter that are not retired (the API's rule).
  const others = useLoad(() => listTemplates(typeId, false), [typeId]);
  const choices = (others.data?.items ?? []).filter(
    (t) => t.parameterId === template.parameterId && t.id !== template.id,
  );
  const replacedBy = choices.find((t) => t.id === template.replacementId);
  const deprecate = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      ...(eol ? { eolAt: `${eol}T00:00:00Z` } : {}),
      ...(replacement ? { replacementId: Number(replacement) } : {}),
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
            ? `deprecating on ${formatEol(template.eolAt)}`
            : STATE_TEXT[template.lifecycle]}
        </dd>
        {template.eolAt ? (
          <>
            <dt>End of life</dt>
            <dd>{formatEol(template.eolAt)}</dd>
          </>
        ) : null}
        {template.replacementId ? (
          <>
            <dt>Replacement</dt>
            <dd data-replacement={template.replacementId}>
              {replacedBy
                ? `${replacedBy.displayName} (${replacedBy.internalName})`
                : `template #${template.replacementId}`}
            </dd>
          </>
        ) : null}
      </dl>
      {template.lifecycle === 'active' ? (
        <form className="form" onSubmit={(e) => void deprecate(e)} aria-label="Deprecate">
          <label>
            End-of-life date <span className="muted">(UTC; empty: now)</span>
            <input type="date" value={eol} onChange={(e) => setEol(e.target.value)} />
            <ErrorText error={fieldError(action.error, 'eolAt')} />
          </label>
          <label>
            Replacement <span className="muted">(optional: what customers should move to)</span>
            <select value={replacement} onChange={(e) => setReplacement(e.target.value)}>
              <option value="">none</option>
              {choices.map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.displayName} ({t.internalName})
                </option>
              ))}
            </select>
            <ErrorText error={fieldError(action.error, 'replacementId')} />
          </label>
          <ErrorText error={others.error} />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              ▼ Deprecate
            </button>
          </div>
        </form>
      ) : (
        <div className="buttons">
          <button type="button" disabled={action.busy} onClick={() => void undeprecate()}>
            ▲ Undeprecate
          </button>
        </div>
      )}
      <ErrorText error={action.error} />
    </aside>
  );
}
