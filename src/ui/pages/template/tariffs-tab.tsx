import { ErrorText, Toggle, useAction, YesNo } from '../../components';
import type { NotOrderableReason, TemplateDetail } from '../../types';
import { setTemplateTariffs } from '../../api/templates';

const REASON_TEXT: Record<NotOrderableReason, string> = {
  retired: 'retired (gone from VMmanager)',
  disabled: 'disabled by an admin',
  not_enabled: 'not enabled on this tariff',
  awaiting_review: 'awaiting review',
  not_connected: 'not connected to a module of this tariff',
  unavailable: 'VMmanager lists it but it cannot be ordered now (for example while it is being updated)',
  disk_too_small: "the tariff's disk is smaller than the template needs",
  deprecated: 'deprecated: not offered for new orders (still for reinstalls)',
  ram_too_small: "the tariff's RAM is smaller than the template needs",
};

export function TariffsTab({
  template,
  onChange,
}: {
  template: TemplateDetail;
  onChange: (t: TemplateDetail) => void;
}) {
  const action = useAction();
  const set = async (tariffIds: number[], enabled: boolean) => {
    if (tariffIds.length === 0) return;
    const next = await action.run(() => setTemplateTariffs(template.id, tariffIds, enabled));
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
