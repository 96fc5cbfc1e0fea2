import { ErrorText, formatTime, Page, Spinner, Toggle, useAction, useLoad } from '../components';
import { Link } from '../router';
import type { Module } from '../types';
import { listModules, setModuleEnabled } from '../api/modules';

/** A health badge from the last sync success / failure. */
export function HealthBadge({ module }: { module: Module }) {
  const h = module.health;
  const failing =
    h.lastFailureAt !== null &&
    (h.lastSuccessAt === null || Date.parse(h.lastFailureAt) > Date.parse(h.lastSuccessAt));
  // Scheduled syncs skip their slots until then (VMmanager kept failing); manual ones still run.
  const backingOff = h.backoffUntil !== null && Date.parse(h.backoffUntil) > Date.now();
  if (!module.enabled) return <span className="badge">off</span>;
  if (failing) {
    return (
      <span className="badge bad" title={h.lastFailureMessage ?? ''}>
        ✖ failing{h.consecutiveFailures > 1 ? ` ×${h.consecutiveFailures}` : ''}
        {backingOff ? `, retries ${formatTime(h.backoffUntil)}` : ''}
      </span>
    );
  }
  if (h.lastSuccessAt) return <span className="badge good">✔ healthy</span>;
  return <span className="badge">never synced</span>;
}

/** Integrations → Processing modules. */
export function ModulesPage() {
  const list = useLoad(() => listModules(), []);
  const action = useAction();
  const setEnabled = async (m: Module, enabled: boolean) => {
    await action.run(() => setModuleEnabled(m.id, enabled));
    list.reload();
  };
  return (
    <Page
      title="Processing modules"
      crumbs={<span>Integrations</span>}
      actions={
        <Link href="/integrations/modules/new" className="button primary">
          + Add module
        </Link>
      }
    >
      <ErrorText error={list.error} />
      <ErrorText error={action.error} />
      {!list.data ? (
        list.error ? null : (
          <Spinner label="Loading modules…" />
        )
      ) : (
        <div className="table-wrap">
          <table className="grid" aria-label="Processing modules">
            <thead>
              <tr>
                <th>Name</th>
                <th>VMmanager 6</th>
                <th>Cluster</th>
                <th>Sort</th>
                <th>Health</th>
                <th>Last success</th>
                <th>Last failure</th>
                <th>Enabled</th>
                <th>Options</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((m) => (
                <tr key={m.id} data-module-id={m.id}>
                  <td>
                    <Link href={`/integrations/modules/${m.id}/options`}>{m.name}</Link>
                  </td>
                  <td className="wrap">
                    <code>{m.url}</code>
                  </td>
                  <td className="num">{m.clusterId ?? 'any'}</td>
                  <td className="num">{m.sort}</td>
                  <td>
                    <HealthBadge module={m} />
                  </td>
                  <td className="nowrap">{formatTime(m.health.lastSuccessAt)}</td>
                  <td title={m.health.lastFailureMessage ?? ''}>
                    {formatTime(m.health.lastFailureAt)}
                    {m.health.lastFailureMessage ? (
                      <div className="muted small">{m.health.lastFailureMessage}</div>
                    ) : null}
                  </td>
                  <td>
                    <Toggle
                      checked={m.enabled}
                      label={`Module ${m.name} enabled`}
                      disabled={action.busy}
                      onChange={(on) => void setEnabled(m, on)}
                    />
                  </td>
                  <td>
                    <Link href={`/integrations/modules/${m.id}/options`} className="button">
                      ⚙ Options
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.items.length === 0 ? <p className="muted">No processing modules yet. Add one.</p> : null}
        </div>
      )}
    </Page>
  );
}
