import { useState, type FormEvent } from 'react';
import { ErrorText, fieldError, formatMib, formError, Loaded, Page, useAction, useLoad } from '../components';
import { Link, navigate } from '../router';
import { listModules } from '../api/modules';
import { listProductTypes } from '../api/product-types';
import { createTariff, listTariffs } from '../api/tariffs';
import { gibToMib, TariffSizeFields } from './tariff/size-fields';

/** Products → Tariff plans. */
export function TariffsPage() {
  const tariffs = useLoad(() => listTariffs(), []);
  const modules = useLoad(() => listModules(), []);
  const moduleName = (id: number) => modules.data?.items.find((m) => m.id === id)?.name ?? `#${id}`;
  const tariffName = (id: number) => tariffs.data?.items.find((t) => t.id === id)?.name ?? `#${id}`;
  return (
    <Page
      title="Tariff plans"
      crumbs={<span>Products</span>}
      actions={
        <Link href="/products/tariffs/new" className="button primary">
          + Add tariff plan
        </Link>
      }
    >
      <Loaded load={tariffs} label="Loading tariff plans…">
        {(data) => (
          <div className="table-wrap">
            <table className="grid" aria-label="Tariff plans">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Disk</th>
                  <th>RAM</th>
                  <th>Processing modules</th>
                  <th>Cloned from</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((t) => (
                  <tr key={t.id} data-tariff-id={t.id}>
                    <td>
                      <Link href={`/products/tariffs/${t.id}/edit`}>{t.name}</Link>
                    </td>
                    <td className="num">{formatMib(t.diskMib)}</td>
                    <td className="num">{formatMib(t.ramMib)}</td>
                    <td>
                      {t.moduleIds.length ? (
                        t.moduleIds.map(moduleName).join(', ')
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td>{t.clonedFromId ? tariffName(t.clonedFromId) : ''}</td>
                    <td>
                      <div className="row-actions">
                        <Link href={`/products/tariffs/${t.id}/edit`}>✎ Edit</Link>
                        <Link href={`/products/tariffs/${t.id}/clone`}>❐ Clone</Link>
                        <Link href={`/products/tariffs/${t.id}/modules`}>⇄ Modules</Link>
                        <Link href={`/products/tariffs/${t.id}/os`}>☰ OS list</Link>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 ? <p className="muted">No tariff plans yet.</p> : null}
          </div>
        )}
      </Loaded>
    </Page>
  );
}

/** Products → Tariff plans → Add. */
export function TariffCreatePage() {
  const types = useLoad(() => listProductTypes(), []);
  const modules = useLoad(() => listModules(), []);
  const [name, setName] = useState('');
  const [disk, setDisk] = useState('');
  const [ram, setRam] = useState('');
  const [productTypeId, setProductTypeId] = useState('');
  const [moduleIds, setModuleIds] = useState<number[]>([]);
  const save = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {
      name,
      diskMib: gibToMib(disk),
      ramMib: gibToMib(ram),
      moduleIds,
    };
    if (productTypeId) body['productTypeId'] = Number(productTypeId);
    const created = await save.run(() => createTariff(body));
    if (created) navigate(`/products/tariffs/${created.id}/os`);
  };

  return (
    <Page
      title="New tariff plan"
      crumbs={
        <>
          <span>Products</span> › <Link href="/products/tariffs">Tariff plans</Link>
        </>
      }
    >
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="New tariff plan">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
          <ErrorText error={fieldError(save.error, 'name')} />
        </label>
        {types.data && types.data.items.length > 1 ? (
          <label>
            Product type
            <select value={productTypeId} onChange={(e) => setProductTypeId(e.target.value)}>
              <option value="">default</option>
              {types.data.items.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <TariffSizeFields disk={disk} ram={ram} onDisk={setDisk} onRam={setRam} error={save.error} />
        <fieldset>
          <legend>Processing modules</legend>
          {(modules.data?.items ?? []).map((m) => (
            <label key={m.id} className="inline">
              <input
                type="checkbox"
                checked={moduleIds.includes(m.id)}
                onChange={(e) =>
                  setModuleIds(
                    e.target.checked ? [...moduleIds, m.id] : moduleIds.filter((id) => id !== m.id),
                  )
                }
              />
              {m.name}
            </label>
          ))}
          <ErrorText error={fieldError(save.error, 'moduleIds')} />
        </fieldset>
        <ErrorText error={formError(save.error, ['name', 'diskMib', 'ramMib', 'moduleIds'])} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={save.busy}>
            Create
          </button>
        </div>
      </form>
    </Page>
  );
}
