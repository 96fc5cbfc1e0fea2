import { and, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { syncSlots } from '../sync/sync.tables.js';

/**
 * Claims one scheduled slot of one module; true for exactly one caller across all instances
 * sharing the database (the primary key decides), false for every other.
 */
export async function claimSyncSlot(
  db: DbOrTx,
  claim: { moduleId: number; slot: Date; claimedBy: string; claimedAt: Date },
): Promise<boolean> {
  const rows = await db
    .insert(syncSlots)
    .values(claim)
    .onConflictDoNothing({ target: [syncSlots.moduleId, syncSlots.slot] })
    .returning({ moduleId: syncSlots.moduleId });
  return rows.length === 1;
}

/** Forgets claims of slots older than `before` (they can never fire again). */
export async function deleteSyncSlotsBefore(db: DbOrTx, before: Date): Promise<void> {
  await db.delete(syncSlots).where(and(lt(syncSlots.slot, before)));
}
