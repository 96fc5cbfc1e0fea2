import { useEffect, useState, type FormEvent } from 'react';
import { ErrorText, fieldError, formatMib, formatTime, formError, useAction, YesNo } from '../../components';
import type { TemplateDetail } from '../../types';
import { actOnTemplate, editTemplate } from '../../api/templates';
import { LifecycleCard } from './lifecycle-card';

export function EditTab(props: { template: TemplateDetail; typeId: number; onSaved: () => void }) {
  const { template, typeId, onSaved } = props;
  const [displayName, setDisplayName] = useState(template.displayName);
  const [sort, setSort] = useState(String(template.sort));
  const [tags, setTags] = useState(template.tags.join(', '));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  const toggle = useAction();
  useEffect(() => {
    setDisplayName(template.displayName);
    setSort(String(template.sort));
    setTags(template.tags.join(', '));
  }, [template]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const body = {
      displayName,
      sort: sort.trim() === '' ? Number.NaN : Number(sort),
      tags: tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    const ok = await save.run(() => editTemplate(template.id, body));
    if (ok !== undefined) {
      setSaved(true);
      onSaved();
    }
  };
  const setDisabled = async (disabled: boolean) => {
    await toggle.run(() => actOnTemplate(template.id, disabled ? 'disable' : 'enable'));
    onSaved();
  };
  const approve = async () => {
    await toggle.run(() => actOnTemplate(template.id, 'approve'));
    onSaved();
  };

  return (
    <div className="two-col">
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="Edit template">
        <label>
          Name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          <ErrorText error={fieldError(save.error, 'displayName')} />
        </label>
        <label>
          Internal name
          <input value={template.internalName} readOnly className="readonly" />
        </label>
        <label>
          Sort
          <input inputMode="numeric" value={sort} onChange={(e) => setSort(e.target.value)} />
          <ErrorText error={fieldError(save.error, 'sort')} />
        </label>
        <label>
          Tags <span className="muted">(comma-separated)</span>
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
          <ErrorText error={fieldError(save.error, 'tags')} />
        </label>
        <label>
          Hard drive <span className="muted">(minimum, from VMmanager 6; read-only)</span>
          <input
            value={formatMib(template.minDiskMib)}
            readOnly
            className="readonly"
            aria-label="Hard drive"
          />
        </label>
        <label>
          Memory <span className="muted">(minimum RAM, from VMmanager 6; read-only)</span>
          <input value={formatMib(template.minRamMib)} readOnly className="readonly" aria-label="Memory" />
        </label>
        <ErrorText error={formError(save.error, ['displayName', 'sort', 'tags'])} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.busy}>
            {save.busy ? 'Saving…' : 'Save'}
          </button>
          {saved ? <span className="ok">Saved.</span> : null}
        </div>
      </form>
      <aside className="card">
        <h2>State</h2>
        <dl className="facts">
          <dt>Disabled</dt>
          <dd>
            <YesNo value={template.disabled} />
            {template.disabled && template.disabledBy ? ` by ${template.disabledBy}` : ''}
          </dd>
          <dt>Awaiting review</dt>
          <dd>
            <YesNo value={template.awaitingReview} />
          </dd>
          <dt>Retired</dt>
          <dd>{template.retiredAt ? formatTime(template.retiredAt) : 'no'}</dd>
          <dt>Name set by admin</dt>
          <dd>
            <YesNo value={template.displayNameByAdmin} />
          </dd>
        </dl>
        <div className="buttons">
          {template.disabled ? (
            <button type="button" disabled={toggle.busy} onClick={() => void setDisabled(false)}>
              ✓ Enable
            </button>
          ) : (
            <button type="button" disabled={toggle.busy} onClick={() => void setDisabled(true)}>
              ⊘ Disable
            </button>
          )}
          {template.awaitingReview ? (
            <button type="button" disabled={toggle.busy} onClick={() => void approve()}>
              ★ Approve
            </button>
          ) : null}
        </div>
        <ErrorText error={toggle.error} />
      </aside>
      <LifecycleCard template={template} typeId={typeId} onSaved={onSaved} />
    </div>
  );
}
