import { sql, type SQL } from 'drizzle-orm';
import { osParameterName, type NotOrderableReason } from './catalog.schema.js';
import type { OrderPurpose } from './orderable.rule.js';

// Typed so that a reason the API does not know cannot be written here.
const reason = (name: NotOrderableReason) => sql`${name}::text`;
// An id list as one `int[]` parameter (its text form), the same on both drivers.
const idArray = (ids: number[]) => sql`${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::int[]`;

/** What `orderabilityOf` answers for one (tariff, template) pair. */
export interface OrderabilityRow {
  tariff_id: number;
  value_id: number;
  /**
   * The module that would build it: the tariff's lowest-sort enabled module that has it connected
   * and available (else, with reason `unavailable`, the lowest-sort one that has it connected).
   */
  module_id: number | null;
  module_name: string | null;
  /** How that module's installation builds it: its VMmanager template id, clusters and kind. */
  upstream_id: number | null;
  cluster_ids: number[] | null;
  virtualization: string | null;
  /** The first condition that fails, or null when the template can be ordered on the tariff. */
  reason: NotOrderableReason | null;
}

/** One connection of a template to an enabled module of a tariff (`tariffConnections`). */
export interface TariffConnectionRow {
  tariff_id: number;
  value_id: number;
  module_id: number;
  module_name: string;
  available: boolean;
  upstream_id: number | null;
  cluster_ids: number[] | null;
  virtualization: string | null;
}

/**
 * The connections of templates to the enabled modules of the tariffs `where` picks (over `tm`,
 * `pm`, `mt`), with what VMmanager needs to build each there. `builderOrder` ranks a pair's
 * connections: the first builds it (available ones first, then the lowest module sort, then id).
 */
export const tariffConnections = (where: SQL): SQL => sql`
  select tm.tariff_id, mt.value_id, pm.id as module_id, pm.name as module_name, pm.sort as module_sort,
    mt.available, mt.upstream_id, mt.cluster_ids, mt.virtualization
  from tariff_modules tm
  join processing_modules pm on pm.id = tm.module_id and pm.enabled
  join module_templates mt on mt.module_id = pm.id and mt.connected
  where ${where}`;
export const builderOrder = sql`c.available desc, c.module_sort, c.module_id`;

/** A customer's choice of disk and RAM (MiB), in place of the tariff's; null or absent: the tariff's. */
export interface OrderSizes {
  diskMib?: number | null;
  ramMib?: number | null;
}

/** Which (tariff, template) pairs `orderabilityOf` answers for. */
export type OrderabilityScope =
  /** The templates on one tariff, or one template on it (by internal name). */
  | { tariffId: number; internalName?: string }
  /** Every template of a parameter on every tariff of its product type. */
  | { parameterId: number }
  /** Every template on each of these tariffs (the change feed's render of the lists a change can alter). */
  | { tariffIds: number[] };

/**
 * The orderable rule in SQL, once: every (tariff, template) pair of `scope`, with the module
 * that would build it and the first failed condition (`reason`, null when orderable), in the
 * order of `orderable.rule.ts:firstFailedCondition`, which is the same rule for one pair in
 * TypeScript. `selectOrderableTemplates`, `selectTemplateCounts` and `selectOrderability` (the
 * order check) all read it; `tariffs/orderable.test.ts` proves them and the TypeScript rule agree.
 *
 * `purpose: 'reinstall'` lets a deprecated template through (an existing service may keep it).
 * `diskMib` and `ramMib` replace the tariff's disk and RAM (a customer's choice). `connectedOnly` leaves out the
 * pairs not connected to an enabled module of the tariff, which are never orderable: the lists
 * need no more, and it spares them the cross product of tariffs and templates.
 *
 * To add a condition (lifecycle …): add its `when` below, at its place in the order,
 * with a new `NotOrderableReason`, and the same `if` in `firstFailedCondition`. The columns of
 * `t` (tariffs) and `v` (parameter_values) are in reach; a fact from another table is one more
 * `left join` here, and that table then needs the change feed's triggers too (migration 0018,
 * `webhook_list_touches`): without them a change to it is announced late or not at all.
 */
export function orderabilityOf(
  scope: OrderabilityScope,
  options: OrderSizes & { connectedOnly?: boolean; purpose?: OrderPurpose } = {},
): SQL {
  const disk = sql`coalesce(${options.diskMib ?? null}::int, t.disk_mib)`;
  const ram = sql`coalesce(${options.ramMib ?? null}::int, t.ram_mib)`;
  const [pairs, servingTariffs] =
    'tariffIds' in scope
      ? [sql`t.id = any(${idArray(scope.tariffIds)})`, sql`tm.tariff_id = any(${idArray(scope.tariffIds)})`]
      : 'tariffId' in scope
        ? [
            scope.internalName === undefined
              ? sql`t.id = ${scope.tariffId}`
              : sql`t.id = ${scope.tariffId} and v.internal_name = ${scope.internalName}`,
            sql`tm.tariff_id = ${scope.tariffId}`,
          ]
        : [
            sql`p.id = ${scope.parameterId}`,
            sql`tm.tariff_id in (select t.id from tariffs t join parameters p
                               on p.product_type_id = t.product_type_id where p.id = ${scope.parameterId})`,
          ];
  return sql`
    select t.id as tariff_id, v.id as value_id, sv.module_id, sv.module_name,
      sv.upstream_id, sv.cluster_ids, sv.virtualization,
      case
        when v.retired_at is not null then ${reason('retired')}
        when v.disabled then ${reason('disabled')}
        ${options.purpose === 'reinstall' ? sql`` : sql`when v.deprecated_at is not null then ${reason('deprecated')}`}
        when s.enabled = false then ${reason('not_enabled')}
        when s.enabled is null and v.awaiting_review then ${reason('awaiting_review')}
        when sv.module_id is null then ${reason('not_connected')}
        when not sv.available then ${reason('unavailable')}
        when v.min_disk_mib > ${disk} then ${reason('disk_too_small')}
        when v.min_ram_mib > ${ram} then ${reason('ram_too_small')}
      end as reason
    from tariffs t
    join parameters p on p.product_type_id = t.product_type_id and p.internal_name = ${osParameterName}
    join parameter_values v on v.parameter_id = p.id
    ${options.connectedOnly ? sql`join` : sql`left join`} (
      select distinct on (c.tariff_id, c.value_id) c.*
      from (${tariffConnections(servingTariffs)}) c
      order by c.tariff_id, c.value_id, ${builderOrder}
    ) sv on sv.tariff_id = t.id and sv.value_id = v.id
    left join tariff_template_settings s on s.tariff_id = t.id and s.value_id = v.id
    where ${pairs}`;
}
