import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { pruneSyncRuns } from '../sync/sync-history-prune.repository.js';
import { pruneOutbox } from '../webhooks/outbox-prune.repository.js';
import { defaultRetention, type RetentionSettings } from './retention.settings.js';

export { defaultRetention, type RetentionSettings } from './retention.settings.js';

/** What one pruning removed. */
export interface PruneResult {
  syncRuns: number;
  webhookDeliveries: number;
  webhookEvents: number;
}

const dayMs = 24 * 3600 * 1000;
const batch = 5_000;

export type RetentionService = ReturnType<typeof createRetentionService>;

/** Prunes the sync history and the webhook outbox to the configured ages. */
export function createRetentionService(deps: { db: Db; clock: Clock; settings?: RetentionSettings }) {
  const settings = deps.settings ?? defaultRetention;
  const ago = (now: Date, days: number) => new Date(now.getTime() - days * dayMs);
  return {
    settings,
    /** Removes what is older than the settings allow, now; returns how many rows of each. */
    async pruneNow(): Promise<PruneResult> {
      const now = deps.clock.now();
      const syncRuns = await pruneSyncRuns(deps.db, {
        unchangedBefore: ago(now, settings.unchangedRunDays),
        changedBefore: settings.changedRunDays === null ? null : ago(now, settings.changedRunDays),
        batch,
      });
      const outbox = await pruneOutbox(deps.db, { before: ago(now, settings.webhookDays), batch });
      return { syncRuns, webhookDeliveries: outbox.deliveries, webhookEvents: outbox.events };
    },
  };
}
