import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { jobSlots } from './jobs.tables.js';

/**
 * Claims one slot of an app-wide job; true for exactly one caller across all instances sharing
 * the database (the primary key decides), as `claimSyncSlot` does for a module's sync.
 */
export async function claimJobSlot(
  db: DbOrTx,
  claim: { job: string; slot: Date; claimedBy: string; claimedAt: Date },
): Promise<boolean> {
  const rows = await db
    .insert(jobSlots)
    .values(claim)
    .onConflictDoNothing({ target: [jobSlots.job, jobSlots.slot] })
    .returning({ job: jobSlots.job });
  return rows.length === 1;
}

/** Forgets a job's claims of slots older than `before` (they can never fire again). */
export async function deleteJobSlotsBefore(db: DbOrTx, job: string, before: Date): Promise<void> {
  await db.delete(jobSlots).where(and(eq(jobSlots.job, job), lt(jobSlots.slot, before)));
}
