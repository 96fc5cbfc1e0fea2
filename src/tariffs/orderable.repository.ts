import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import {
  builderOrder,
  orderabilityOf,
  tariffConnections,
  type OrderabilityRow,
  type OrderSizes,
  type TariffConnectionRow,
} from '../catalog/orderable.sql.js';
import type { OrderPurpose } from '../catalog/orderable.rule.js';
import type { OrderableTemplate, StorefrontLifecycle } from './tariffs.schema.js';

/**
 * The order form's OS list of a tariff, in one statement: the templates the orderable rule
 * (`orderabilityOf`) lets a customer order there, with the disk and RAM the customer chose (else
 * the tariff's), each with the module that would build it.
 */
export async function selectOrderableTemplates(
  db: DbOrTx,
  tariffId: number,
  sizes: OrderSizes = {},
  purpose: OrderPurpose = 'order',
): Promise<OrderableTemplate[]> {
  const rows = await queryRows<OrderableRow>(
    db,
    sql`
    select v.id, v.display_name as "displayName", v.internal_name as "internalName",
      v.min_disk_mib as "minDiskMib", v.min_ram_mib as "minRamMib", v.sort, v.os_group as "osGroup",
      o.virtualization, o.module_id as "moduleId", o.module_name as "moduleName",
      ${lifecycleColumns}
    from (${orderabilityOf({ tariffId }, { ...sizes, connectedOnly: true, purpose })}) o
    join parameter_values v on v.id = o.value_id
    left join parameter_values r on r.id = v.replacement_id
    where o.reason is null
    order by v.sort, v.display_name, v.id`,
  );
  return rows.map(orderableRowToTemplate);
}

/**
 * The storefront lists of the tariffs `tariffIds` at once (order purpose, the tariff's sizes),
 * keyed by tariff, each in the order `selectOrderableTemplates` gives: one statement however
 * many tariffs there are. The change feed reads it.
 */
export async function selectOrderableTemplatesOfTariffs(
  db: DbOrTx,
  tariffIds: number[],
): Promise<Map<number, OrderableTemplate[]>> {
  if (tariffIds.length === 0) return new Map();
  const rows = await queryRows<OrderableRow & { tariffId: number }>(
    db,
    sql`
    select o.tariff_id as "tariffId", v.id, v.display_name as "displayName",
      v.internal_name as "internalName", v.min_disk_mib as "minDiskMib", v.min_ram_mib as "minRamMib",
      v.sort, v.os_group as "osGroup", o.virtualization, o.module_id as "moduleId",
      o.module_name as "moduleName", ${lifecycleColumns}
    from (${orderabilityOf({ tariffIds }, { connectedOnly: true })}) o
    join parameter_values v on v.id = o.value_id
    left join parameter_values r on r.id = v.replacement_id
    where o.reason is null
    order by o.tariff_id, v.sort, v.display_name, v.id`,
  );
  const lists = new Map<number, OrderableTemplate[]>();
  for (const { tariffId, ...row } of rows) {
    const list = lists.get(tariffId) ?? [];
    list.push(orderableRowToTemplate(row));
    lists.set(tariffId, list);
  }
  return lists;
}

// The lifecycle columns of `v` (the template) and `r` (its replacement), as both reads select them.
const lifecycleColumns = sql`v.deprecated_at is not null as deprecated,
  (extract(epoch from v.eol_at) * 1000)::float8 as "eolMs", r.id as "replacementId",
  r.internal_name as "replacementInternalName", r.display_name as "replacementDisplayName"`;

interface LifecycleRow {
  deprecated: boolean;
  eolMs: number | null;
  replacementId: number | null;
  replacementInternalName: string | null;
  replacementDisplayName: string | null;
}
type OrderableRow = Omit<OrderableTemplate, 'lifecycle'> & LifecycleRow;

const lifecycleOfRow = (row: LifecycleRow): StorefrontLifecycle | null => {
  const state = row.deprecated ? 'deprecated' : row.eolMs !== null ? 'deprecating' : null;
  if (state === null) return null;
  return {
    state,
    eolAt: row.eolMs === null ? null : new Date(row.eolMs).toISOString(),
    replacement:
      row.replacementId === null
        ? null
        : {
            id: row.replacementId,
            internalName: row.replacementInternalName!,
            displayName: row.replacementDisplayName!,
          },
  };
};

const orderableRowToTemplate = (row: OrderableRow): OrderableTemplate => {
  const { deprecated, eolMs, replacementId, replacementInternalName, replacementDisplayName, ...rest } = row;
  return {
    ...rest,
    lifecycle: lifecycleOfRow({
      deprecated,
      eolMs,
      replacementId,
      replacementInternalName,
      replacementDisplayName,
    }),
  };
};

/** One template's lifecycle as storefronts see it (the order check's answer carries it). */
export async function selectStorefrontLifecycle(
  db: DbOrTx,
  valueId: number,
): Promise<StorefrontLifecycle | null> {
  const rows = await queryRows<LifecycleRow>(
    db,
    sql`select ${lifecycleColumns} from parameter_values v
        left join parameter_values r on r.id = v.replacement_id where v.id = ${valueId}`,
  );
  return rows[0] ? lifecycleOfRow(rows[0]) : null;
}

/**
 * One template (by internal name) on one tariff, for the order check: the module that would
 * build it, or the first condition of the orderable rule that fails; undefined when the tariff or
 * the template does not exist.
 */
export async function selectOrderability(
  db: DbOrTx,
  tariffId: number,
  internalName: string,
  options: OrderSizes & { purpose?: OrderPurpose },
): Promise<OrderabilityRow | undefined> {
  const rows = await queryRows<OrderabilityRow>(
    db,
    sql`select * from (${orderabilityOf({ tariffId, internalName }, options)}) o`,
  );
  return rows[0];
}

/**
 * Every module of the tariff that could build the template (connected and available on an
 * enabled module), in `builderOrder`: the first is the one the orderable rule names.
 */
export async function selectBuilders(
  db: DbOrTx,
  tariffId: number,
  valueId: number,
): Promise<TariffConnectionRow[]> {
  return queryRows<TariffConnectionRow>(
    db,
    sql`select c.* from (${tariffConnections(sql`tm.tariff_id = ${tariffId} and mt.value_id = ${valueId}`)}) c
        where c.available order by ${builderOrder}`,
  );
}
