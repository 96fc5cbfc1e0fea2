import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { cutText } from '../shared/text.js';
import { deliveryPolicy } from './webhook-delivery.policy.js';
import type { WebhookEventType } from './webhooks.schema.js';

/** NOTIFY channel a committed event wakes the delivery workers on (any instance). */
export const outboxChannel = 'oscat_webhook_outbox';

/** An event a change announces: its type and its `data`. */
export interface OutboxEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/**
 * Writes an event and one delivery per enabled endpoint that receives its type, in the caller's
 * transaction (so the change and its event commit or roll back together). Nobody subscribed:
 * nothing is written. Returns the event id, or null.
 */
export async function enqueueEvent(tx: Tx, event: OutboxEvent, at: Date): Promise<string | null> {
  const id = randomUUID();
  const giveUpAt = new Date(at.getTime() + deliveryPolicy.giveUpAfterMs);
  const rows = await queryRows<{ event_id: string }>(
    tx,
    // `for key share`: an endpoint being deleted right now is waited for and then left out,
    // instead of failing this change on the deliveries' foreign key.
    sql`with subscribers as (
          select id from webhook_endpoints where enabled and ${event.type} = any(events) for key share
        ), inserted as (
          insert into webhook_events (id, type, data, created_at)
          select ${id}, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${at.toISOString()}::timestamptz
          where exists (select 1 from subscribers)
          returning id
        )
        insert into webhook_deliveries (endpoint_id, event_id, next_attempt_at, give_up_at, created_at)
        select s.id, i.id, ${at.toISOString()}::timestamptz, ${giveUpAt.toISOString()}::timestamptz,
               ${at.toISOString()}::timestamptz
        from subscribers s, inserted i
        returning event_id`,
  );
  if (rows.length === 0) return null;
  // Sent at commit only: a rolled-back change wakes nobody.
  await tx.execute(sql`select pg_notify(${outboxChannel}, '')`);
  return id;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  id: number;
  attempts: number;
  giveUpAt: Date;
  eventId: string;
  eventType: string;
  eventData: unknown;
  eventCreatedAt: Date;
  url: string;
  secretEncrypted: string;
}

interface ClaimRow {
  id: string | number;
  attempts: number;
  give_up_at: string | Date;
  event_id: string;
  type: string;
  data: unknown;
  created_at: string | Date;
  url: string;
  secret_encrypted: string;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints for `owner` until `now + leaseMs`.
 * `for update skip locked` makes each one claimed by one worker across instances; a lease that
 * ran out (a worker died mid-send) makes it claimable again.
 */
export async function claimDueDeliveries(
  db: DbOrTx,
  options: { owner: string; now: Date; leaseMs: number; limit: number },
): Promise<ClaimedDelivery[]> {
  const now = options.now.toISOString();
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const rows = await queryRows<ClaimRow>(
    db,
    sql`update webhook_deliveries d
        set lease_owner = ${options.owner}, lease_until = ${leaseUntil}::timestamptz
        from webhook_events e, webhook_endpoints p
        where d.id in (
            select w.id from webhook_deliveries w join webhook_endpoints we on we.id = w.endpoint_id
            where w.state = 'pending' and w.next_attempt_at <= ${now}::timestamptz and we.enabled
              and (w.lease_until is null or w.lease_until <= ${now}::timestamptz)
            order by w.next_attempt_at, w.id
            limit ${options.limit}
            for update of w skip locked)
          and e.id = d.event_id and p.id = d.endpoint_id
        returning d.id, d.attempts, d.give_up_at, e.id as event_id, e.type, e.data, e.created_at,
                  p.url, p.secret_encrypted`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    attempts: r.attempts,
    giveUpAt: new Date(r.give_up_at),
    eventId: r.event_id,
    eventType: r.type,
    eventData: r.data,
    eventCreatedAt: new Date(r.created_at),
    url: r.url,
    secretEncrypted: r.secret_encrypted,
  }));
}

/** What one attempt ended with. */
export type AttemptOutcome =
  | { delivered: true; status: number }
  | { delivered: false; status: number | null; error: string; nextAttemptAt: Date | null };

const maxErrorChars = 500;

/**
 * Records an attempt of a delivery this owner still holds; a null `nextAttemptAt` marks it
 * failed. Returns false when the lease was lost (another worker has it now).
 */
export async function recordAttempt(
  db: DbOrTx,
  options: { id: number; owner: string; at: Date; outcome: AttemptOutcome },
): Promise<boolean> {
  const { outcome } = options;
  const at = options.at.toISOString();
  const state = outcome.delivered ? 'delivered' : outcome.nextAttemptAt ? 'pending' : 'failed';
  const next = !outcome.delivered && outcome.nextAttemptAt ? outcome.nextAttemptAt.toISOString() : null;
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update webhook_deliveries
        set state = ${state}, attempts = attempts + 1, last_attempt_at = ${at}::timestamptz,
            last_status_code = ${outcome.status},
            last_error = ${outcome.delivered ? null : cutText(outcome.error, maxErrorChars)},
            delivered_at = ${outcome.delivered ? at : null}::timestamptz,
            next_attempt_at = coalesce(${next}::timestamptz, next_attempt_at),
            lease_owner = null, lease_until = null
        where id = ${options.id} and lease_owner = ${options.owner} and state = 'pending'
        returning id`,
  );
  return rows.length > 0;
}

/** Deliveries by state, for /metrics. */
export async function countDeliveriesByState(db: DbOrTx): Promise<{ state: string; n: number }[]> {
  return queryRows(db, sql`select state, count(*)::int as n from webhook_deliveries group by state`);
}
