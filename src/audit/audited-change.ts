import type { Db, Tx } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { announceListChanges } from '../webhooks/change-feed.js';
import { enqueueEvent, type OutboxEvent } from '../webhooks/outbox.repository.js';
import { insertAuditEntries, type AuditEntry } from './audit.repository.js';

/** What an admin write hands back: its result and the audit entries describing it (may be none). */
export interface AuditedResult<T> {
  result: T;
  audit: AuditEntry | AuditEntry[];
  /** Webhook events the change causes besides the storefront lists' (written in its transaction). */
  events?: OutboxEvent[];
}

/** A write that stamps every row it touches with `at`, the same time its audit entries get. */
export type AuditedWrite<T> = (tx: Tx, at: Date) => Promise<AuditedResult<T>>;

/**
 * Runs an admin write inside a transaction the caller already holds and records its audit
 * entries in that same transaction, so a change and its record commit or roll back together;
 * so do the webhook events it causes (the outbox), ending with the storefront lists it changed.
 */
export async function recordAuditedChange<T>(tx: Tx, clock: Clock, write: AuditedWrite<T>): Promise<T> {
  const at = clock.now();
  const { result, audit, events = [] } = await write(tx, at);
  await insertAuditEntries(tx, Array.isArray(audit) ? audit : [audit], at);
  for (const event of events) await enqueueEvent(tx, event, at);
  await announceListChanges(tx, at);
  return result;
}

/** Runs an admin write in a transaction of its own and records its audit entries in it. */
export async function auditedChange<T>(db: Db, clock: Clock, write: AuditedWrite<T>): Promise<T> {
  return db.transaction((tx) => recordAuditedChange(tx, clock, write));
}
