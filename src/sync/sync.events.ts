import type { Tx } from '../db/database.js';
import { enqueueEvent, type OutboxEvent } from '../webhooks/outbox.repository.js';
import type { SyncRunResult } from './sync.schema.js';

/** `module.sync_failed`: a module's sync started failing (its first failed run after a success). */
export const syncFailedEvent = (run: SyncRunResult, moduleName: string): OutboxEvent => ({
  type: 'module.sync_failed',
  data: {
    moduleId: run.moduleId,
    moduleName,
    runId: run.runId,
    trigger: run.trigger,
    error: run.error,
    failedAt: run.finishedAt,
  },
});

/** `module.sync_held`: a module's sync was held by the guard and waits for an admin. */
export const syncHeldEvent = (run: SyncRunResult, moduleName: string): OutboxEvent => ({
  type: 'module.sync_held',
  data: {
    moduleId: run.moduleId,
    moduleName,
    runId: run.runId,
    trigger: run.trigger,
    guardReason: run.guardReason,
    message: run.guardMessage ?? null,
    counts: run.counts,
    heldAt: run.finishedAt,
  },
});

/** Writes `module.sync_held` for a held run, unless a held plan of the module was already waiting. */
export async function announceHeldRun(
  tx: Tx,
  run: SyncRunResult,
  moduleName: string,
  heldAgain: boolean,
  at: Date,
): Promise<void> {
  // Held again while a held plan waits for an admin (the same plan, folded into it, or another
  // that supersedes it): announced once, when it starts waiting.
  if (!heldAgain) await enqueueEvent(tx, syncHeldEvent(run, moduleName), at);
}

/** Writes `module.sync_failed` when the run is the module's first failure in a row. */
export async function announceFailedRun(
  tx: Tx,
  run: SyncRunResult,
  moduleName: string,
  consecutiveFailures: number,
  at: Date,
): Promise<void> {
  // Not on every retry of a failing module: a storefront needs to know it started, not each beat.
  if (consecutiveFailures === 1) await enqueueEvent(tx, syncFailedEvent(run, moduleName), at);
}
