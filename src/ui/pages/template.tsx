import { useEffect, useState, type FormEvent } from 'react';
import { ADMIN, api } from '../api';
import {
  ErrorText,
  fieldError,
  formatMib,
  formatTime,
  formError,
  Page,
  Spinner,
  StatusIcon,
  Toggle,
  useAction,
  useLoad,
  YesNo,
} from '../components';
import { Link } from '../router';
import { templatePath, valuesPath } from '../paths';
import type { NotOrderableReason, TemplateDetail } from '../types';

export type TemplateTab = 'edit' | 'modules' | 'tariffs';

const REASON_TEXT: Record<NotOrderableReason, string> = {
  retired: 'retired (gone from VMmanager)',
  disabled: 'disabled by an admin',
  not_enabled: 'not enabled on this tariff',
  awaiting_review: 'awaiting review',
  not_connected: 'not connected to a module of this tariff',
  unavailable: 'VMmanager lists it but it cannot be ordered now (for example while it is being updated)',
  disk_too_small: "the tariff's disk is smaller than the template needs",
  ram_too_small: "the tariff's RAM is smaller than the template needs",
};

/** One template: Edit, Modules and Tariff plans (the seed's buttons on a selected value). */
export function TemplatePage(props: {
  typeId: number;
  parameterId: number;
  templateId: number;
  tab: TemplateTab;
}) {
  const { typeId, parameterId, templateId, tab } = props;
  const detail = useLoad(() => api.get<TemplateDetail>(`${ADMIN}/templates/${templateId}`), [templateId]);
  const t = detail.data;
  const tabLink = (name: TemplateTab, label: string) => (
    <Link
      href={templatePath(typeId, parameterId, templateId, name)}
      className={tab === name ? 'tab active' : 'tab'}
      aria-current={tab === name ? 'page' : undefined}
    >
      {label}
    </Link>
  );
  return (
    <Page
      title={t ? t.displayName : 'Template'}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/product-types">Product types</Link> ›{' '}
          <Link href={valuesPath(typeId, parameterId)}>Operating system › Values</Link>
        </>
      }
      actions={
        t ? (
          <span className="muted">
            <StatusIcon status={t.status} />{' '}
            {t.status === 'all' ? 'on all tariffs' : t.status === 'some' ? 'on some tariffs' : 'on no tariff'}
          </span>
        ) : null
      }
    >
      <nav className="tabs">
        {tabLink('edit', '✎ Edit')}
        {tabLink('modules', '⇄ Modules')}
        {tabLink('tariffs', '☰ Tariff plans')}
      </nav>
      <ErrorText error={detail.error} />
      {!t ? (
        detail.error ? null : (
          <Spinner label="Loading template…" />
        )
      ) : tab === 'modules' ? (
        <ModulesTab template={t} onChange={detail.setData} />
      ) : tab === 'tariffs' ? (
        <TariffsTab template={t} onChange={detail.setData} />
      ) : (
        <EditTab template={t} onSaved={detail.reload} />
      )}
    </Page>
  );
}

function EditTab({ template, onSaved }: { template: TemplateDetail; onSaved: () => void }) {
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
    const ok = await save.run(() => api.patch(`${ADMIN}/templates/${template.id}`, body));
    if (ok !== undefined) {
      setSaved(true);
      onSaved();
    }
  };
  const setDisabled = async (disabled: boolean) => {
    await toggle.run(() => api.post(`${ADMIN}/templates/${template.id}/${disabled ? 'disable' : 'enable'}`));
    onSaved();
  };
  const approve = async () => {
    await toggle.run(() => api.post(`${ADMIN}/templates/${template.id}/approve`));
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
    </div>
  );
}

function ModulesTab({
  template,
  onChange,
}: {
  template: TemplateDetail;
  onChange: (t: TemplateDetail) => void;
}) {
  const action = useAction();
  const set = async (moduleId: number, connected: boolean) => {
    const next = await action.run(() =>
      api.put<TemplateDetail>(`${ADMIN}/templates/${template.id}/modules/${moduleId}`, { connected }),
    );
    if (next) onChange(next);
  };
  return (
    <>
      <p className="legend">
        <YesNo value={true} yes="connected to the module" /> <YesNo value={false} no="not connected" />
      </p>
      <table className="grid" aria-label="Modules of the template">
        <thead>
          <tr>
            <th>Module</th>
            <th>Status</th>
            <th>Upstream id</th>
            <th>Built on</th>
            <th>Last seen in VMmanager</th>
            <th>Connected</th>
          </tr>
        </thead>
        <tbody>
          {template.modules.map((m) => (
            <tr key={m.moduleId}>
              <td>
                {m.moduleName} {m.moduleEnabled ? null : <span className="badge warn">module off</span>}
              </td>
              <td>
                <YesNo value={m.connected} yes="connected" no="not connected" />
                {m.connected && !m.available ? (
                  <span className="badge warn" title={m.unavailableReason ?? undefined} data-unavailable>
                    unavailable{m.unavailableReason ? `: ${m.unavailableReason}` : ''}
                  </span>
                ) : null}
              </td>
              <td className="num">{m.upstreamId ?? '—'}</td>
              <td>
                {m.clusterIds?.length ? `cluster ${m.clusterIds.join(', ')}` : '—'}
                {m.virtualization ? (
                  <span className="muted small"> ({m.virtualization.toUpperCase()})</span>
                ) : null}
              </td>
              <td>{formatTime(m.lastSeenAt)}</td>
              <td>
                <Toggle
                  checked={m.connected}
                  label={`Connected to ${m.moduleName}`}
                  disabled={action.busy}
                  onChange={(c) => void set(m.moduleId, c)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {template.modules.length === 0 ? <p className="muted">No processing modules yet.</p> : null}
      <ErrorText error={action.error} />
    </>
  );
}

function TariffsTab({
  template,
  onChange,
}: {
  template: TemplateDetail;
  onChange: (t: TemplateDetail) => void;
}) {
  const action = useAction();
  const set = async (tariffIds: number[], enabled: boolean) => {
    if (tariffIds.length === 0) return;
    const next = await action.run(() =>
      api.put<TemplateDetail>(`${ADMIN}/templates/${template.id}/tariffs`, { tariffIds, enabled }),
    );
    if (next) onChange(next);
  };
  const all = template.tariffs.map((t) => t.tariffId);
  return (
    <>
      <div className="toolbar">
        <button type="button" disabled={action.busy || all.length === 0} onClick={() => void set(all, true)}>
          ✓ Enable on all
        </button>
        <button type="button" disabled={action.busy || all.length === 0} onClick={() => void set(all, false)}>
          ⊘ Disable on all
        </button>
      </div>
      <ErrorText error={action.error} />
      <p className="legend">
        <YesNo value={true} yes="available for order on the tariff" />{' '}
        <YesNo value={false} no="not available for order" />
      </p>
      <table className="grid" aria-label="Tariff plans of the template">
        <thead>
          <tr>
            <th>Tariff plan</th>
            <th>Status</th>
            <th>Why not</th>
            <th>Decision</th>
            <th>Enabled</th>
          </tr>
        </thead>
        <tbody>
          {template.tariffs.map((t) => (
            <tr key={t.tariffId} data-tariff-id={t.tariffId}>
              <td>{t.tariffName}</td>
              <td>
                <YesNo value={t.orderable} yes="available" no="not available" />
              </td>
              <td>{t.reason ? (REASON_TEXT[t.reason] ?? t.reason) : ''}</td>
              <td className="muted">{t.explicit === null ? 'default' : 'set by admin'}</td>
              <td>
                <Toggle
                  checked={t.enabled}
                  label={`Enabled on ${t.tariffName}`}
                  disabled={action.busy}
                  onChange={(e) => void set([t.tariffId], e)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {template.tariffs.length === 0 ? <p className="muted">No tariff plans yet.</p> : null}
    </>
  );
}
