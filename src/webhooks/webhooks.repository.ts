import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from './webhooks.tables.js';
import type { DeliveryState, WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhooks.schema.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** The only place knowing both the row and the API shape; the secret never leaves here. */
export const endpointRowToEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events as WebhookEventType[],
  enabled: row.enabled,
  secretRotatedAt: row.secretRotatedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function selectEndpointRows(db: DbOrTx): Promise<EndpointRow[]> {
  return db.select().from(webhookEndpoints).orderBy(webhookEndpoints.id);
}

/** One endpoint; `forUpdate` locks it for the transaction's change. */
export async function selectEndpointRow(
  db: DbOrTx,
  id: number,
  forUpdate = false,
): Promise<EndpointRow | undefined> {
  const query = db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  const rows = forUpdate ? await query.for('update') : await query;
  return rows[0];
}

export async function insertEndpointRow(
  tx: Tx,
  values: Pick<EndpointRow, 'url' | 'description' | 'events' | 'enabled' | 'secretEncrypted'>,
  at: Date,
): Promise<EndpointRow> {
  const rows = await tx
    .insert(webhookEndpoints)
    .values({ ...values, secretRotatedAt: at, createdAt: at, updatedAt: at })
    .returning();
  return rows[0]!;
}

export async function updateEndpointRow(
  tx: Tx,
  id: number,
  values: Partial<
    Pick<EndpointRow, 'url' | 'description' | 'events' | 'enabled' | 'secretEncrypted' | 'secretRotatedAt'>
  >,
  at: Date,
): Promise<EndpointRow> {
  const rows = await tx
    .update(webhookEndpoints)
    .set({ ...values, updatedAt: at })
    .where(eq(webhookEndpoints.id, id))
    .returning();
  return rows[0]!;
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect & { eventType: string };

const deliveryRowToDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpointId,
  eventId: row.eventId,
  eventType: row.eventType as WebhookEventType,
  createdAt: row.createdAt,
  state: row.state as DeliveryState,
  attempts: row.attempts,
  lastAttemptAt: row.lastAttemptAt,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null,
  deliveredAt: row.deliveredAt,
});

/** An endpoint's delivery log, newest first. */
export async function selectDeliveries(
  db: DbOrTx,
  endpointId: number,
  options: { limit: number; state?: DeliveryState | undefined },
): Promise<WebhookDelivery[]> {
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        options.state ? eq(webhookDeliveries.state, options.state) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(options.limit);
  return rows.map((r) => deliveryRowToDelivery({ ...r.delivery, eventType: r.eventType }));
}

/** One delivery of one endpoint and its lease, or undefined; `forUpdate` locks it. */
export async function selectDelivery(
  db: DbOrTx,
  endpointId: number,
  deliveryId: number,
  forUpdate = false,
): Promise<{ delivery: WebhookDelivery; leaseUntil: Date | null } | undefined> {
  const query = db
    .select({ delivery: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)));
  const rows = forUpdate ? await query.for('update', { of: webhookDeliveries }) : await query;
  const row = rows[0];
  if (!row) return undefined;
  return {
    delivery: deliveryRowToDelivery({ ...row.delivery, eventType: row.eventType }),
    leaseUntil: row.delivery.leaseUntil,
  };
}

/** Queues a delivery again: due now, with a new day to succeed in; its attempts keep counting. */
export async function requeueDelivery(tx: Tx, deliveryId: number, at: Date, giveUpAt: Date): Promise<void> {
  await tx
    .update(webhookDeliveries)
    .set({
      state: 'pending',
      nextAttemptAt: at,
      giveUpAt,
      leaseOwner: null,
      leaseUntil: null,
      deliveredAt: sql`null`,
    })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/** How many deliveries of each state a deleted endpoint had. */
export type DroppedDeliveries = Record<DeliveryState, number>;

/**
 * Deletes an endpoint with its secret and its deliveries (pending ones are never sent), and the
 * events no other endpoint has a delivery of. Returns what the deleted log held.
 */
export async function deleteEndpointRow(tx: Tx, id: number): Promise<DroppedDeliveries> {
  // One statement: the foreign keys (no action) are checked at its end, when all three are gone.
  const rows = await queryRows<{ state: DeliveryState; n: number }>(
    tx,
    sql`with dropped as (
          delete from webhook_deliveries where endpoint_id = ${id} returning event_id, state
        ), orphans as (
          delete from webhook_events e
          where e.id in (select event_id from dropped)
            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.endpoint_id <> ${id})
        ), endpoint as (
          delete from webhook_endpoints where id = ${id}
        )
        select state, count(*)::int as n from dropped group by state`,
  );
  const counts: DroppedDeliveries = { pending: 0, delivered: 0, failed: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
