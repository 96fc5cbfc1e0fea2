import { ErrorText, Toggle, useAction } from '../../components';
import type { Module, Tariff } from '../../types';
import { setTariffModules } from '../../api/tariffs';

/** Which processing modules' templates a tariff plan offers. */
export function TariffModules(props: { tariff: Tariff; modules: Module[]; onChange: (t: Tariff) => void }) {
  const { tariff, modules, onChange } = props;
  const action = useAction();
  const set = async (moduleId: number, on: boolean) => {
    const moduleIds = on ? [...tariff.moduleIds, moduleId] : tariff.moduleIds.filter((id) => id !== moduleId);
    const next = await action.run(() => setTariffModules(tariff.id, moduleIds));
    if (next) onChange(next);
  };
  return (
    <>
      <p className="muted">
        The templates of every module switched on here are offered on this tariff. To keep two modules'
        templates apart, clone the tariff and give each clone one module.
      </p>
      <table className="grid" aria-label="Modules of the tariff plan">
        <thead>
          <tr>
            <th>Processing module</th>
            <th>Module state</th>
            <th>Used by this tariff</th>
          </tr>
        </thead>
        <tbody>
          {modules.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td>{m.enabled ? 'enabled' : <span className="badge warn">disabled</span>}</td>
              <td>
                <Toggle
                  checked={tariff.moduleIds.includes(m.id)}
                  label={`Use ${m.name}`}
                  disabled={action.busy}
                  onChange={(on) => void set(m.id, on)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorText error={action.error} />
    </>
  );
}
