import type { DbOrTx, Tx } from '../db/database.js';
import { conflict, notFound } from '../shared/errors.js';
import { insertAuditEntries } from '../audit/audit.repository.js';
import { resolveHeldRun, selectSyncRunRow } from './sync-runs.repository.js';
import type { UpstreamSet } from './sync.plan.js';

/** A held run being applied: its id and the upstream set stored with it. */
export interface HeldSource {
  runId: number;
  upstream: UpstreamSet;
}

// A held run keeps the set it would apply (not the fingerprint: it is recomputed on apply).
export const storedUpstream = ({ templates, skipped, listed }: UpstreamSet): UpstreamSet => ({
  templates,
  skipped,
  listed,
});

/** The held run `runId`, still pending; else not_found or conflict. */
export const requirePendingHeld = async (dbOrTx: DbOrTx, runId: number, forUpdate: boolean) => {
  const row = await selectSyncRunRow(dbOrTx, runId, forUpdate);
  if (!row) throw notFound('sync run', runId);
  if (row.outcome !== 'held' || row.heldState !== 'pending') {
    throw conflict(`sync run ${runId} is not a pending held run (${row.heldState ?? row.outcome})`, {
      heldState: row.heldState,
    });
  }
  return row;
};

/** Marks a held run applied or discarded, with its audit entry, in the caller's transaction. */
export const recordHeldResolution = async (
  tx: Tx,
  runId: number,
  state: 'applied' | 'discarded',
  actor: string,
  at: Date,
  appliedByRunId?: number,
) => {
  const row = await resolveHeldRun(tx, runId, state, actor, at);
  await insertAuditEntries(
    tx,
    [
      {
        actor,
        action: state === 'applied' ? 'sync.apply_held' : 'sync.discard_held',
        objectType: 'sync_run',
        objectId: runId,
        before: { heldState: 'pending' },
        after: { heldState: state, ...(appliedByRunId ? { appliedByRunId } : {}) },
      },
    ],
    at,
  );
  return row;
};
