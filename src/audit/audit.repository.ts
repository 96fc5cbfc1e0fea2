import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { auditLog } from './audit.tables.js';
import type { AuditFilter, AuditRecord } from './audit.schema.js';

/** What one admin write changed. */
export interface AuditEntry {
  actor: string;
  action: string;
  objectType: string;
  objectId: string | number;
  before?: unknown;
  after?: unknown;
}

/** Records audit entries inside the transaction that made the change, in one statement. */
export async function insertAuditEntries(tx: Tx, entries: AuditEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditLog).values(
    entries.map((entry) => ({
      at,
      actor: entry.actor,
      action: entry.action,
      objectType: entry.objectType,
      objectId: String(entry.objectId),
      before: entry.before ?? null,
      after: entry.after ?? null,
    })),
  );
}

/** Lists audit records, newest first, filtered by object and by actor. */
export async function selectAuditRecords(db: DbOrTx, filter: AuditFilter): Promise<AuditRecord[]> {
  const conditions: SQL[] = [];
  if (filter.objectType) conditions.push(eq(auditLog.objectType, filter.objectType));
  if (filter.objectId) conditions.push(eq(auditLog.objectId, filter.objectId));
  if (filter.actor) conditions.push(eq(auditLog.actor, filter.actor));
  if (filter.beforeId) conditions.push(lt(auditLog.id, filter.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 100);
}
