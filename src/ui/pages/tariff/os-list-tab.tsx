import { ErrorText, formatMib, OrderFormTable, Spinner, useLoad } from '../../components';
import type { Tariff } from '../../types';
import { getStorefrontList, listOrderable } from '../../api/tariffs';

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
