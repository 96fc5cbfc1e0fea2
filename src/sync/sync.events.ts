import type { OutboxEvent } from '../webhooks/outbox.repository.js';
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
