import { useState, type FormEvent } from 'react';
import { ErrorText, fieldError, formError, useAction } from '../../components';
import { navigate } from '../../router';
import type { Module, Tariff } from '../../types';
import { cloneTariff } from '../../api/tariffs';

/** Clones a tariff plan (disk size and per-template decisions) onto other modules. */
export function TariffClone({ tariff, modules }: { tariff: Tariff; modules: Module[] }) {
  const [name, setName] = useState(`${tariff.name} (copy)`);
  const [moduleIds, setModuleIds] = useState<number[]>(tariff.moduleIds);
  const save = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const clone = await save.run(() => cloneTariff(tariff.id, { name, moduleIds }));
    if (clone) navigate(`/products/tariffs/${clone.id}/modules`);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Clone tariff plan">
      <p className="muted">The clone gets the same disk size and the same per-template decisions.</p>
      <label>
        Name of the clone
        <input value={name} onChange={(e) => setName(e.target.value)} required />
        <ErrorText error={fieldError(save.error, 'name')} />
      </label>
      <fieldset>
        <legend>Processing modules of the clone</legend>
        {modules.map((m) => (
          <label key={m.id} className="inline">
            <input
              type="checkbox"
              checked={moduleIds.includes(m.id)}
              onChange={(e) =>
                setModuleIds(e.target.checked ? [...moduleIds, m.id] : moduleIds.filter((id) => id !== m.id))
              }
            />
            {m.name}
          </label>
        ))}
        <ErrorText error={fieldError(save.error, 'moduleIds')} />
      </fieldset>
      <ErrorText error={formError(save.error, ['name', 'moduleIds'])} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          ❐ Clone
        </button>
      </div>
    </form>
  );
}
