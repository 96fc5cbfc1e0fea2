import { sql } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import type { Db } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { decideOrderable } from '../catalog/orderable.rule.js';
import type { NotOrderableReason } from '../catalog/catalog.schema.js';
import { Id } from '../catalog/catalog.schema.js';
import { parseWith } from '../shared/validate.js';
import { DiskMib } from './tariffs.schema.js';

export const OrderCheck = Type.Object(
  {
    tariffId: Id,
    internalName: Type.String({ minLength: 1, maxLength: 500 }),
    diskMib: Type.Optional(DiskMib),
  },
  { additionalProperties: false },
);
export type OrderCheck = Static<typeof OrderCheck>;

export type OrderCheckResult =
  | { orderable: true; templateId: number; moduleId: number; moduleName: string }
  | { orderable: false; reason: NotOrderableReason | 'unknown' };

interface FactsRow {
  templateId: number;
  retired: boolean;
  disabled: boolean;
  awaitingReview: boolean;
  explicit: boolean | null;
  minDiskMib: number | null;
  tariffDiskMib: number | null;
  moduleId: number | null;
  moduleName: string | null;
}

/**
 * Re-checks an order at checkout against the current catalog: which module would build it, or
 * why it cannot be ordered. Same rule as the OS list (`decideOrderable`), so the two never disagree.
 */
export async function checkOrder(db: Db, input: OrderCheck): Promise<OrderCheckResult> {
  const order = parseWith(OrderCheck, input, { what: 'body' });
  const rows = await queryRows<FactsRow>(
    db,
    sql`
    select v.id as "templateId", v.retired_at is not null as retired, v.disabled,
      v.awaiting_review as "awaitingReview", s.enabled as explicit, v.min_disk_mib as "minDiskMib",
      t.disk_mib as "tariffDiskMib", m.id as "moduleId", m.name as "moduleName"
    from tariffs t
    join parameters p on p.product_type_id = t.product_type_id and p.internal_name = 'ostempl'
    join parameter_values v on v.parameter_id = p.id and v.internal_name = ${order.internalName}
    left join tariff_template_settings s on s.tariff_id = t.id and s.value_id = v.id
    left join lateral (
      select pm.id, pm.name from tariff_modules tm
      join processing_modules pm on pm.id = tm.module_id and pm.enabled
      join module_templates mt on mt.module_id = pm.id and mt.value_id = v.id and mt.connected
      where tm.tariff_id = t.id
      order by pm.sort, pm.id limit 1
    ) m on true
    where t.id = ${order.tariffId}
    limit 1`,
  );
  const row = rows[0];
  if (!row) return { orderable: false, reason: 'unknown' };
  const decision = decideOrderable({
    retired: row.retired,
    disabled: row.disabled,
    awaitingReview: row.awaitingReview,
    explicit: row.explicit,
    connectedToTariffModule: row.moduleId !== null,
    minDiskMib: row.minDiskMib,
    tariffDiskMib: order.diskMib ?? row.tariffDiskMib,
  });
  if (!decision.orderable || row.moduleId === null || row.moduleName === null) {
    return { orderable: false, reason: decision.reason ?? 'not_connected' };
  }
  return { orderable: true, templateId: row.templateId, moduleId: row.moduleId, moduleName: row.moduleName };
}
