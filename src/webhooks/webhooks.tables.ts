import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { tariffs } from '../tariffs/tariffs.tables.js';

/** A storefront's webhook endpoint: where events go, which ones, and the secret they are signed with. */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: serial('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  // The event types it receives (see WebhookEventType).
  events: text('events').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  // AES-256-GCM ciphertext (`v1:<iv>:<tag>:<data>`) of the signing secret; shown once, never in clear.
  secretEncrypted: text('secret_encrypted').notNull(),
  secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The outbox: one row per event, written in the transaction of the change that causes it (only
 * when an enabled endpoint receives its type), so a rolled-back change leaves none.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    // A UUID: the `X-OsCatalog-Event-Id` receivers de-duplicate on.
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('webhook_events_created_idx').on(t.createdAt)],
);

/** One event to one endpoint: its state, attempts, the last answer, and the worker's lease. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: integer('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text('event_id')
      .notNull()
      .references(() => webhookEvents.id),
    // pending | delivered | failed
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    // After this the delivery is failed instead of retried (about a day after it was queued).
    giveUpAt: timestamp('give_up_at', { withTimezone: true }).notNull(),
    // The worker that claimed it and until when; a lease that runs out is claimable again.
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    // Truncated; names the endpoint's origin only (a path or query may hold a secret).
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
  ],
);

/**
 * What each tariff's storefront list was at the last committed change (its ETag and items), so
 * the next change announces exactly what it altered. A null ETag is a baseline not known yet
 * (tariffs that existed before webhooks): it is recorded silently the first time.
 */
export const webhookTariffLists = pgTable('webhook_tariff_lists', {
  tariffId: integer('tariff_id')
    .primaryKey()
    .references(() => tariffs.id),
  etag: text('etag'),
  items: jsonb('items'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What changed since the storefront lists were last announced, written by triggers on the
 * tables the lists read (migration 0018): a tariff, a module or a template whose lists may
 * differ, or `all`. The change feed reads and empties it, and renders only the lists these can
 * alter. No key: concurrent writers only ever add rows.
 */
export const webhookListTouches = pgTable('webhook_list_touches', {
  kind: text('kind').notNull(),
  refId: integer('ref_id'),
});
