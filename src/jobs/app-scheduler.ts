import { hostname } from 'node:os';
import type { App } from '../app.js';
import { createScheduledSyncJob } from './scheduled-sync.job.js';
import { createSyncScheduler } from './module-crons.js';
import { createEndOfLifeJob } from './end-of-life.job.js';
import { createWebhookDeliveryJob } from './webhook-delivery.job.js';
import { createRetentionJob } from './retention.job.js';

/** Who claims slots from this process: `OSCAT_INSTANCE_ID`, else host and pid. */
export const defaultInstanceId = (): string => `${hostname()}:${process.pid}`;

/**
 * The scheduler of a running service: one cron per enabled module, each slot handed to
 * `handleScheduledSync`, which claims it and runs the module's sync with trigger `schedule`; and
 * the EOL job each minute; the pruning each hour; and the webhook delivery job.
 */
export function createAppScheduler(
  app: App,
  options: { instanceId?: string; reconcileEveryMs?: number } = {},
) {
  const job = createScheduledSyncJob({
    db: app.db,
    clock: app.clock,
    logger: app.logger,
    instanceId: options.instanceId ?? defaultInstanceId(),
    getModule: (moduleId) => app.modules.getModule(moduleId),
    runScheduledSync: (moduleId, slot) =>
      app.sync.runSync(moduleId, { trigger: 'schedule', actor: 'schedule', slot }),
  });
  const scheduler = createSyncScheduler({
    listSchedules: async () =>
      (await app.modules.listModules())
        .filter((m) => m.enabled)
        .map((m) => ({ moduleId: m.id, schedule: m.schedule })),
    handle: (moduleId, slot) => job.handleScheduledSync(moduleId, slot),
    logger: app.logger,
    ...(options.reconcileEveryMs !== undefined ? { reconcileEveryMs: options.reconcileEveryMs } : {}),
  });
  const endOfLife = createEndOfLifeJob({ lifecycle: app.lifecycle, logger: app.logger });
  const retention = createRetentionJob({
    db: app.db,
    clock: app.clock,
    logger: app.logger,
    instanceId: options.instanceId ?? defaultInstanceId(),
    retention: app.retention,
  });
  const webhookDelivery = createWebhookDeliveryJob({
    database: app.database,
    delivery: app.webhookDelivery,
    logger: app.logger,
  });
  const unsubscribe = app.onboarding.onModuleAdded(() => {
    scheduler
      .reconcile()
      .catch((error: unknown) => app.logger.warn({ err: error }, 'schedule reconcile failed'));
  });
  return {
    ...scheduler,
    async start() {
      await scheduler.start();
      endOfLife.start();
      retention.start();
      await webhookDelivery.start();
    },
    handleScheduledSync: (moduleId: number, slot: Date) => job.handleScheduledSync(moduleId, slot),
    handleEndOfLife: () => endOfLife.handleEndOfLife(),
    /** Runs the pruning of one hourly slot (claimed once across instances). */
    handleRetention: (slot: Date) => retention.handleRetention(slot),
    /** Wakes the webhook delivery job now (what a NOTIFY of the outbox does). */
    triggerWebhookDeliveries: () => webhookDelivery.trigger(),
    async stop() {
      unsubscribe();
      await endOfLife.stop();
      await retention.stop();
      await webhookDelivery.stop();
      await scheduler.stop();
    },
  };
}
