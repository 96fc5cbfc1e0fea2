import { Cron } from 'croner';
import type { Database } from '../db/database.js';
import type { Logger } from '../shared/logger.js';
import { outboxChannel } from '../webhooks/outbox.repository.js';
import type { WebhookDeliveryService } from '../webhooks/webhook-delivery.service.js';

/** How often the delivery job looks for retries that came due: every 5 seconds. */
export const webhookDeliverySchedule = '*/5 * * * * *';

/**
 * The webhook delivery job: a committed event NOTIFYs the outbox channel (any instance), and
 * the cron catches the retries as they come due. Both only trigger `handleWebhookDeliveries`;
 * a pass still running is followed by one more, never doubled.
 */
export function createWebhookDeliveryJob(deps: {
  database: Database;
  delivery: WebhookDeliveryService;
  logger: Logger;
}) {
  let cron: Cron | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let queued = false;

  const trigger = (): Promise<unknown> => {
    if (queued) return running;
    queued = true;
    running = running
      .then(() => {
        queued = false;
        return deps.delivery.handleWebhookDeliveries();
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'webhook delivery job failed'));
    return running;
  };

  return {
    trigger,
    /** Listens for new events, runs once now (a restart sends what was left), then every 5 s. */
    async start(): Promise<void> {
      unlisten = await deps.database
        .listen(outboxChannel, () => void trigger())
        .catch((error: unknown) => {
          deps.logger.warn({ err: error }, 'webhook deliveries wait for the 5 s schedule: cannot LISTEN');
          return undefined;
        });
      void trigger();
      cron = new Cron(webhookDeliverySchedule, { catch: true }, () => void trigger());
    },
    async stop(): Promise<void> {
      cron?.stop();
      await unlisten?.();
      await running;
    },
  };
}
