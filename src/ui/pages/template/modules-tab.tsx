import { ErrorText, formatTime, Toggle, useAction, YesNo } from '../../components';
import type { TemplateDetail } from '../../types';
import { setTemplateConnection } from '../../api/templates';

export function ModulesTab({
  template,
  onChange,
}: {
  template: TemplateDetail;
  onChange: (t: TemplateDetail) => void;
}) {
  const action = useAction();
  const set = async (moduleId: number, connected: boolean) => {
    const next = await action.run(() => setTemplateConnection(template.id, moduleId, connected));
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
