import { Type, type Static } from 'typebox';
import type { Db } from '../db/database.js';
import type { NotOrderableReason } from '../catalog/catalog.schema.js';
import type { TariffConnectionRow } from '../catalog/orderable.sql.js';
import { Id } from '../shared/primitives.schema.js';
import { parseWith } from '../shared/validate.js';
import { selectBuilders, selectOrderability, selectStorefrontLifecycle } from './orderable.repository.js';
import { DiskMib, RamMib, type StorefrontLifecycle } from './tariffs.schema.js';

export const OrderCheck = Type.Object(
  {
    tariffId: Id,
    internalName: Type.String({ minLength: 1, maxLength: 500 }),
    diskMib: Type.Optional(DiskMib),
    ramMib: Type.Optional(RamMib),
    purpose: Type.Optional(
      Type.Union([Type.Literal('order'), Type.Literal('reinstall')], {
        description:
          'order (default): a new service; reinstall: an existing one, which may keep a deprecated template',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OrderCheck = Static<typeof OrderCheck>;

/** Where and how one module builds the template: what `POST /vm/v3/host` on its installation needs. */
export interface Placement {
  moduleId: number;
  moduleName: string;
  /** The VMmanager template id in that module's installation (`os` of `POST /vm/v3/host`). */
  upstreamId: number | null;
  /** The cluster to place it on (`cluster`): the lowest id of `clusterIds`. */
  clusterId: number | null;
  /** Every cluster of that installation it can be built on. */
  clusterIds: number[];
  virtualization: string | null;
}

export type OrderCheckResult =
  | ({
      orderable: true;
      templateId: number;
      /** Null while active; deprecating (EOL ahead) or, for a reinstall, deprecated. */
      lifecycle: StorefrontLifecycle | null;
      /** The other modules of the tariff that could build it, in the order they would be chosen. */
      alternatives: Placement[];
    } & Placement)
  | {
      orderable: false;
      reason: NotOrderableReason | 'unknown';
      /** Only with reason `deprecated`: the template and its lifecycle (the replacement to offer). */
      templateId?: number;
      lifecycle?: StorefrontLifecycle;
    };

export type OrdersService = ReturnType<typeof createOrdersService>;

const placementOf = (row: TariffConnectionRow): Placement => {
  const clusterIds = [...(row.cluster_ids ?? [])].sort((a, b) => a - b);
  return {
    moduleId: row.module_id,
    moduleName: row.module_name,
    upstreamId: row.upstream_id,
    clusterId: clusterIds[0] ?? null,
    clusterIds,
    virtualization: row.virtualization,
  };
};

/** What a storefront asks about one order. */
export function createOrdersService(deps: { db: Db }) {
  return {
    /**
     * Re-checks an order at checkout against the current catalog: where to build it (module,
     * VMmanager template and cluster, and the alternatives), or why it cannot be ordered. The same
     * rule as the OS list (`orderabilityOf`), so the two never disagree.
     */
    async checkOrder(input: OrderCheck): Promise<OrderCheckResult> {
      const order = parseWith(OrderCheck, input, { what: 'body' });
      const row = await selectOrderability(deps.db, order.tariffId, order.internalName, {
        diskMib: order.diskMib ?? null,
        ramMib: order.ramMib ?? null,
        purpose: order.purpose ?? 'order',
      });
      if (!row) return { orderable: false, reason: 'unknown' };
      if (row.reason === 'deprecated') {
        const lifecycle = await selectStorefrontLifecycle(deps.db, row.value_id);
        return {
          orderable: false,
          reason: 'deprecated',
          templateId: row.value_id,
          ...(lifecycle ? { lifecycle } : {}),
        };
      }
      if (row.reason !== null || row.module_id === null || row.module_name === null)
        return { orderable: false, reason: row.reason ?? 'not_connected' };
      // The rule names the module that builds it; the other builders, in the same order, are the
      // alternatives (a second read: one that changed in between is simply not listed).
      const builders = await selectBuilders(deps.db, order.tariffId, row.value_id);
      return {
        orderable: true,
        templateId: row.value_id,
        lifecycle: await selectStorefrontLifecycle(deps.db, row.value_id),
        ...placementOf({ ...row, module_id: row.module_id, module_name: row.module_name, available: true }),
        alternatives: builders.filter((b) => b.module_id !== row.module_id).map(placementOf),
      };
    },
  };
}
