import { Type, type Static } from 'typebox';
import type { Db } from '../db/database.js';
import type { NotOrderableReason } from '../catalog/catalog.schema.js';
import { Id } from '../shared/primitives.schema.js';
import { parseWith } from '../shared/validate.js';
import { selectOrderability } from './tariffs.repository.js';
import { DiskMib, RamMib } from './tariffs.schema.js';

export const OrderCheck = Type.Object(
  {
    tariffId: Id,
    internalName: Type.String({ minLength: 1, maxLength: 500 }),
    diskMib: Type.Optional(DiskMib),
    ramMib: Type.Optional(RamMib),
  },
  { additionalProperties: false },
);
export type OrderCheck = Static<typeof OrderCheck>;

export type OrderCheckResult =
  | { orderable: true; templateId: number; moduleId: number; moduleName: string }
  | { orderable: false; reason: NotOrderableReason | 'unknown' };

export type OrdersService = ReturnType<typeof createOrdersService>;

/** What a storefront asks about one order. */
export function createOrdersService(deps: { db: Db }) {
  return {
    /**
     * Re-checks an order at checkout against the current catalog: which module would build it, or
     * why it cannot be ordered. The same rule as the OS list (`orderabilityOf`), so the two never disagree.
     */
    async checkOrder(input: OrderCheck): Promise<OrderCheckResult> {
      const order = parseWith(OrderCheck, input, { what: 'body' });
      const row = await selectOrderability(deps.db, order.tariffId, order.internalName, {
        diskMib: order.diskMib ?? null,
        ramMib: order.ramMib ?? null,
      });
      if (!row) return { orderable: false, reason: 'unknown' };
      if (row.reason !== null || row.module_id === null || row.module_name === null)
        return { orderable: false, reason: row.reason ?? 'not_connected' };
      return {
        orderable: true,
        templateId: row.value_id,
        moduleId: row.module_id,
        moduleName: row.module_name,
      };
    },
  };
}
