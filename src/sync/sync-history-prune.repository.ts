import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/database.js';
import { queryRows } from '../db/query.js';

/** What the history pruning removes: rows last active before these times. */
export interface SyncHistoryCutoffs {
  /** Runs that changed nothing: no change, failed, dry runs, discarded or superseded held runs. */
  unchangedBefore: Date;
  /** Runs that changed the catalog (and held runs an admin applied); null keeps them all. */
  changedBefore: Date | null;
  /** Rows per statement, so a long history is pruned without one long lock. */
  batch: number;
}

/**
 * Deletes old sync runs in batches; returns how many. Never the newest run of a module, nor a
 * held run still waiting for an admin. A run's age is when its last (folded) run finished.
 */
export async function pruneSyncRuns(db: DbOrTx, cutoffs: SyncHistoryCutoffs): Promise<number> {
  const unchanged = cutoffs.unchangedBefore.toISOString();
  const changed = cutoffs.changedBefore?.toISOString() ?? null;
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`with doomed as (
            select r.id from sync_runs r
            where coalesce(r.last_finished_at, r.finished_at, r.started_at) <
                    case when r.outcome = 'applied' or r.held_state = 'applied'
                         then ${changed}::timestamptz else ${unchanged}::timestamptz end
              and r.held_state is distinct from 'pending'
              and r.id < (select max(l.id) from sync_runs l where l.module_id = r.module_id)
            limit ${cutoffs.batch}
          ), deleted as (delete from sync_runs where id in (select id from doomed) returning 1)
          select count(*)::int as n from deleted`,
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < cutoffs.batch) return total;
  }
}
