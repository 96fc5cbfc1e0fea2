import { Cron } from 'croner';
import type { Db } from '../db/database.js';
import type { RetentionService, PruneResult } from '../retention/retention.service.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { claimJobSlot, deleteJobSlotsBefore } from './job-slots.repository.js';
import { slotOf } from './module-crons.js';

/** When the pruning runs: hourly, at minute 41 (away from the hour, when crons pile up). */
export const retentionSchedule = '41 * * * *';

const job = 'retention';
const keepClaimsMs = 7 * 24 * 3600 * 1000;

export type RetentionStatus = { status: 'claimed_elsewhere' } | ({ status: 'ran' } & PruneResult);

/**
 * The pruning job: every instance runs the cron, and only the one whose claim of the slot is
 * inserted prunes (`job_slots`, the same claim-per-slot as the scheduled syncs).
 */
export function createRetentionJob(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  retention: RetentionService;
}) {
  let cron: Cron | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const handleRetention = async (slot: Date): Promise<RetentionStatus> => {
    const claimed = await claimJobSlot(deps.db, {
      job,
      slot,
      claimedBy: deps.instanceId,
      claimedAt: deps.clock.now(),
    });
    if (!claimed) return { status: 'claimed_elsewhere' };
    await deleteJobSlotsBefore(deps.db, job, new Date(slot.getTime() - keepClaimsMs));
    const result = await deps.retention.pruneNow();
    deps.logger.info({ slot, ...result }, 'history pruned');
    return { status: 'ran', ...result };
  };

  // The cron only triggers; a pruning still going when the next hour fires is not doubled.
  const trigger = (slot: Date) => {
    running = running
      .then(() => handleRetention(slot))
      .catch((error: unknown) => deps.logger.error({ err: error }, 'retention job failed'));
    return running;
  };

  return {
    handleRetention,
    start(): void {
      const fired: Cron = new Cron(retentionSchedule, { catch: true }, () => {
        void trigger(slotOf(fired, new Date()));
      });
      cron = fired;
    },
    async stop(): Promise<void> {
      cron?.stop();
      await running;
    },
  };
}
