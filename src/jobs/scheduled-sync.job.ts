import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { isAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { claimSyncSlot, deleteSyncSlotsBefore } from './sync-slots.repository.js';

/** What a scheduled slot ended as, for logs and tests. */
export type ScheduledSyncStatus =
  | { status: 'claimed_elsewhere' }
  | { status: 'module_unavailable' }
  | { status: 'backing_off'; until: Date }
  | { status: 'ran'; runId: number; outcome: string };

export interface ScheduledSyncDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Names this instance in `sync_slots.claimed_by`. */
  instanceId: string;
  /** The module as the service shows it: whether it is enabled and its backoff (from its health). */
  getModule(moduleId: number): Promise<{ enabled: boolean; health: { backoffUntil: Date | null } }>;
  runScheduledSync(moduleId: number, slot: Date): Promise<{ runId: number; outcome: string }>;
}

const keepClaimsMs = 7 * 24 * 3600 * 1000;

/** The job handler behind every module's cron. */
export function createScheduledSyncJob(deps: ScheduledSyncDeps) {
  return {
    /**
     * Runs one scheduled slot of one module, exactly once across every instance sharing the
     * database: only the instance whose claim row is inserted runs it. A bare advisory lock is
     * not enough here: with clock skew, instances would run the same slot one after another.
     * A module backing off (its VMmanager kept failing) skips the slot without claiming it: the
     * rule compares the slot, not this instance's clock, so every instance decides alike.
     */
    async handleScheduledSync(moduleId: number, slot: Date): Promise<ScheduledSyncStatus> {
      let module;
      try {
        module = await deps.getModule(moduleId);
      } catch (error) {
        if (isAppError(error) && error.code === 'not_found') return { status: 'module_unavailable' };
        throw error;
      }
      if (!module.enabled) return { status: 'module_unavailable' };
      const until = module.health.backoffUntil;
      if (until && slot < until) {
        deps.logger.debug({ moduleId, slot, until }, 'scheduled sync skipped: backing off');
        return { status: 'backing_off', until };
      }
      const claimed = await claimSyncSlot(deps.db, {
        moduleId,
        slot,
        claimedBy: deps.instanceId,
        claimedAt: deps.clock.now(),
      });
      if (!claimed) return { status: 'claimed_elsewhere' };
      await deleteSyncSlotsBefore(deps.db, new Date(slot.getTime() - keepClaimsMs));
      const result = await deps.runScheduledSync(moduleId, slot);
      deps.logger.info({ moduleId, slot, runId: result.runId, outcome: result.outcome }, 'scheduled sync');
      return { status: 'ran', runId: result.runId, outcome: result.outcome };
    },
  };
}
