import { useState } from 'react';
import { ErrorText, formatMib, OrderFormTable, Page, Spinner, useLoad } from '../components';
import { gibToMib } from './tariff/size-fields';
import { listOrderable, listTariffs } from '../api/tariffs';

/** Order preview: a tariff, a disk and a RAM size → the OS list a customer would see. */
export function OrderPreviewPage() {
  const tariffs = useLoad(() => listTariffs(), []);
  const [tariffId, setTariffId] = useState('');
  const [disk, setDisk] = useState('');
  const [ram, setRam] = useState('');
  const [purpose, setPurpose] = useState<'order' | 'reinstall'>('order');
  const chosen = tariffs.data?.items.find((t) => String(t.id) === tariffId) ?? tariffs.data?.items[0] ?? null;
  const diskMib = gibToMib(disk);
  const ramMib = gibToMib(ram);
  const usable = (mib: number | null) => (mib !== null && Number.isFinite(mib) ? mib : undefined);
  const query = { diskMib: usable(diskMib), ramMib: usable(ramMib), purpose };
  // The choice as it stands (data-asks) and, on the table, the one its rows answer (data-shows):
  // while they differ, the rows on screen are those of an earlier choice.
  const asks = chosen ? describeQuery(chosen.id, query) : '';
  const list = useLoad(
    async () => (chosen ? { shows: asks, answer: await listOrderable(chosen.id, query) } : null),
    [chosen?.id, diskMib, ramMib, purpose],
  );
  return (
    <Page title="Order preview">
      <p className="muted">
        Pick a tariff plan, and a disk or RAM size a customer chose, to see the operating systems a customer
        could order.
      </p>
      <ErrorText error={tariffs.error} />
      <div className="filters" data-asks={asks}>
        <label>
          Tariff plan
          <select value={chosen ? String(chosen.id) : ''} onChange={(e) => setTariffId(e.target.value)}>
            {(tariffs.data?.items ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          For
          <select
            value={purpose}
            onChange={(e) => setPurpose(e.target.value === 'reinstall' ? 'reinstall' : 'order')}
          >
            <option value="order">a new order</option>
            <option value="reinstall">a reinstall (deprecated ones too)</option>
          </select>
        </label>
        <label>
          Disk size, GiB
          <input
            inputMode="decimal"
            placeholder={chosen ? `tariff default: ${formatMib(chosen.diskMib)}` : ''}
            value={disk}
            onChange={(e) => setDisk(e.target.value)}
          />
        </label>
        <label>
          RAM, GiB
          <input
            inputMode="decimal"
            placeholder={chosen ? `tariff default: ${formatMib(chosen.ramMib)}` : ''}
            value={ram}
            onChange={(e) => setRam(e.target.value)}
          />
        </label>
      </div>
      {diskMib !== null && !Number.isFinite(diskMib) ? (
        <p className="error">The disk size must be a number.</p>
      ) : null}
      {ramMib !== null && !Number.isFinite(ramMib) ? (
        <p className="error">The RAM size must be a number.</p>
      ) : null}
      <ErrorText error={list.error} />
      {list.loading && !list.data ? <Spinner label="Loading…" /> : null}
      {list.data ? (
        <>
          <OrderFormTable
            label="Order form preview"
            nameHeader="Operating system"
            rows={list.data.answer.items}
            busy={list.loading}
            shows={list.data.shows}
          />
          {list.data.answer.items.length === 0 ? (
            <p className="muted">A customer would see no operating system on this tariff.</p>
          ) : (
            <p className="muted">{list.data.answer.items.length} operating systems.</p>
          )}
        </>
      ) : null}
    </Page>
  );
}

/** `tariff=<id> purpose=<p>`, then the disk and RAM sizes in MiB when a size is given. */
function describeQuery(
  tariffId: number,
  query: { diskMib: number | undefined; ramMib: number | undefined; purpose: string },
): string {
  return [
    `tariff=${tariffId}`,
    `purpose=${query.purpose}`,
    query.diskMib === undefined ? '' : `diskMib=${query.diskMib}`,
    query.ramMib === undefined ? '' : `ramMib=${query.ramMib}`,
  ]
    .filter(Boolean)
    .join(' ');
}
