import { useEffect, useState, type FormEvent } from 'react';
import { ErrorText, fieldError, formError, useAction } from '../../components';
import type { Tariff } from '../../types';
import { gibToMib, mibToGibText, TariffSizeFields } from './size-fields';
import { updateTariff } from '../../api/tariffs';

/** A tariff plan's name, disk size and RAM. */
export function TariffEdit({ tariff, onChange }: { tariff: Tariff; onChange: (t: Tariff) => void }) {
  const [name, setName] = useState(tariff.name);
  const [disk, setDisk] = useState(mibToGibText(tariff.diskMib));
  const [ram, setRam] = useState(mibToGibText(tariff.ramMib));
  const [saved, setSaved] = useState(false);
  const save = useAction();
  useEffect(() => {
    setName(tariff.name);
    setDisk(mibToGibText(tariff.diskMib));
    setRam(mibToGibText(tariff.ramMib));
  }, [tariff]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const next = await save.run(() =>
      updateTariff(tariff.id, {
        name,
        diskMib: gibToMib(disk),
        ramMib: gibToMib(ram),
      }),
    );
    if (next) {
      onChange(next);
      setSaved(true);
    }
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Edit tariff plan">
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required />
        <ErrorText error={fieldError(save.error, 'name')} />
      </label>
      <TariffSizeFields disk={disk} ram={ram} onDisk={setDisk} onRam={setRam} error={save.error} />
      <ErrorText error={formError(save.error, ['name', 'diskMib', 'ramMib'])} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={save.busy}>
          Save
        </button>
        {saved ? <span className="ok">Saved.</span> : null}
      </div>
    </form>
  );
}
