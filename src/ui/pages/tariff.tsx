import { useEffect, useState, type FormEvent } from 'react';
import {
  ErrorText,
  fieldError,
  formatMib,
  formError,
  OrderFormTable,
  Page,
  Spinner,
  Toggle,
  useAction,
  useLoad,
} from '../components';
import { Link, navigate } from '../router';
import type { Module, Tariff } from '../types';
import { gibToMib, mibToGibText } from './tariffs';
import { listModules } from '../api/modules';
import {
  cloneTariff,
  getStorefrontList,
  getTariff,
  listOrderable,
  setTariffModules,
  updateTariff,
} from '../api/tariffs';

const TABS: [string, string][] = [
  ['edit', '✎ Edit'],
  ['modules', '⇄ Modules'],
  ['clone', '❐ Clone'],
  ['os', '☰ OS list'],
];

/** One tariff plan: Edit, Modules, Clone and its orderable OS list. */
export function TariffPage({ tariffId, tab }: { tariffId: number; tab: string }) {
  const tariff = useLoad(() => getTariff(tariffId), [tariffId]);
  const modules = useLoad(() => listModules(), []);
  const t = tariff.data;
  return (
    <Page
      title={t ? `Tariff plan: ${t.name}` : 'Tariff plan'}
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/tariffs">Tariff plans</Link>
        </>
      }
    >
      <nav className="tabs">
        {TABS.map(([name, label]) => (
          <Link
            key={name}
            href={`/products/tariffs/${tariffId}/${name}`}
            className={tab === name ? 'tab active' : 'tab'}
            aria-current={tab === name ? 'page' : undefined}
          >
            {label}
          </Link>
        ))}
      </nav>
      <ErrorText error={tariff.error} />
      {!t ? (
        tariff.error ? null : (
          <Spinner label="Loading tariff plan…" />
        )
      ) : tab === 'modules' ? (
        <TariffModules tariff={t} modules={modules.data?.items ?? []} onChange={tariff.setData} />
      ) : tab === 'clone' ? (
        <TariffClone tariff={t} modules={modules.data?.items ?? []} />
      ) : tab === 'os' ? (
        <TariffOsList tariff={t} />
      ) : (
        <TariffEdit tariff={t} onChange={tariff.setData} />
      )}
    </Page>
  );
}

function TariffEdit({ tariff, onChange }: { tariff: Tariff; onChange: (t: Tariff) => void }) {
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
      <label>
        Disk size, GiB <span className="muted">(empty: not limited)</span>
        <input inputMode="decimal" value={disk} onChange={(e) => setDisk(e.target.value)} />
        <ErrorText error={fieldError(save.error, 'diskMib')} />
      </label>
      <label>
        RAM, GiB <span className="muted">(empty: not limited)</span>
        <input inputMode="decimal" value={ram} onChange={(e) => setRam(e.target.value)} />
        <ErrorText error={fieldError(save.error, 'ramMib')} />
      </label>
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

function TariffModules(props: { tariff: Tariff; modules: Module[]; onChange: (t: Tariff) => void }) {
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

function TariffClone({ tariff, modules }: { tariff: Tariff; modules: Module[] }) {
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

/** The order-form OS list exactly as the storefront API answers it. */
export function TariffOsList({ tariff, diskMib }: { tariff: Tariff; diskMib?: number | null }) {
  const list = useLoad(() => getStorefrontList(tariff.id), [tariff.id, tariff.updatedAt]);
  const orderable = useLoad(
    () => listOrderable(tariff.id, { diskMib: diskMib || undefined }),
    [tariff.id, tariff.updatedAt, diskMib],
  );
  const moduleOf = (id: number) => orderable.data?.items.find((o) => o.id === id)?.moduleName ?? null;
  return (
    <>
      <p className="muted">
        What a customer sees when ordering on <strong>{tariff.name}</strong> (disk {formatMib(tariff.diskMib)}
        , RAM {formatMib(tariff.ramMib)}), in order-form order, as{' '}
        <code>GET /api/v1/storefront/tariffs/{tariff.id}/os</code> returns it.
      </p>
      <ErrorText error={list.error} />
      {list.data ? (
        <OrderFormTable
          label="Orderable operating systems"
          nameHeader="Name"
          rows={list.data.items.map((o) => ({ ...o, moduleName: moduleOf(o.id) }))}
        />
      ) : list.error ? null : (
        <Spinner label="Loading the order form…" />
      )}
      {list.data?.items.length === 0 ? <p className="muted">Nothing can be ordered on this tariff.</p> : null}
    </>
  );
}
