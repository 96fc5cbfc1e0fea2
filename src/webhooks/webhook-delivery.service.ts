import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { createOutboundPoster, type OutboundPoster, type PostOutcome } from '../shared/outbound-post.js';
import type { SecretBox } from '../shared/secrets.js';
import {
  claimDueDeliveries,
  recordAttempt,
  type AttemptOutcome,
  type ClaimedDelivery,
} from './outbox.repository.js';
import { deliveryPolicy, nextAttemptAt } from './webhook-delivery.policy.js';
import { eventIdHeader, eventTypeHeader, signatureHeader, signWebhookBody } from './webhook-signature.js';

/** The JSON document POSTed for an event: the same bytes on every attempt but for nothing. */
export const eventBody = (
  d: Pick<ClaimedDelivery, 'eventId' | 'eventType' | 'eventCreatedAt' | 'eventData'>,
) =>
  JSON.stringify({
    id: d.eventId,
    type: d.eventType,
    createdAt: d.eventCreatedAt.toISOString(),
    data: d.eventData,
  });

/** What one pass of the worker did. */
export interface DeliveryPass {
  delivered: number;
  retrying: number;
  failed: number;
}

export type WebhookDeliveryService = ReturnType<typeof createWebhookDeliveryService>;

/**
 * Sends the outbox: claims due deliveries, POSTs each (signed, with the event id), and records
 * the answer. Runs off the request and sync paths (the delivery job triggers it), so a slow or
 * dead endpoint only ever holds this worker.
 */
export function createWebhookDeliveryService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  outboundAllow?: OutboundAllowList | undefined;
  /** Test seam: another poster (shorter timeout). */
  poster?: OutboundPoster;
}) {
  const { db, clock, logger } = deps;
  // Unique per app: two apps in one process (tests) are two workers.
  const owner = randomUUID();
  const poster =
    deps.poster ?? createOutboundPoster({ allow: deps.outboundAllow, timeoutMs: deliveryPolicy.timeoutMs });

  const outcomeOf = (delivery: ClaimedDelivery, answer: PostOutcome, at: Date): AttemptOutcome => {
    if (answer.ok) return { delivered: true, status: answer.status };
    const next = nextAttemptAt(delivery.attempts + 1, at);
    return {
      delivered: false,
      status: answer.status ?? null,
      // The poster's message names the origin only: a path or query may hold a secret.
      error: answer.message,
      nextAttemptAt: next <= delivery.giveUpAt ? next : null,
    };
  };

  const send = async (delivery: ClaimedDelivery): Promise<AttemptOutcome> => {
    const body = eventBody(delivery);
    let answer: PostOutcome;
    try {
      const secret = deps.secrets.decrypt(delivery.secretEncrypted);
      answer = await poster.post(delivery.url, body, {
        [signatureHeader]: signWebhookBody(secret, body, clock.now()),
        [eventIdHeader]: delivery.eventId,
        [eventTypeHeader]: delivery.eventType,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'the delivery could not be signed';
      answer = { ok: false, reason: 'network', origin: '', message };
    }
    const outcome = outcomeOf(delivery, answer, clock.now());
    const recorded = await recordAttempt(db, { id: delivery.id, owner, at: clock.now(), outcome });
    if (!outcome.delivered)
      logger.warn(
        {
          deliveryId: delivery.id,
          eventId: delivery.eventId,
          reason: outcome.error,
          final: !outcome.nextAttemptAt,
        },
        'webhook delivery failed',
      );
    if (!recorded)
      logger.warn(
        { deliveryId: delivery.id },
        'webhook delivery not recorded: another worker has it, or its endpoint was deleted',
      );
    return outcome;
  };

  return {
    owner,
    /** One pass: claims what is due (a batch at a time) and sends it; returns what happened. */
    async handleWebhookDeliveries(): Promise<DeliveryPass> {
      const pass: DeliveryPass = { delivered: 0, retrying: 0, failed: 0 };
      for (;;) {
        const claimed = await claimDueDeliveries(db, {
          owner,
          now: clock.now(),
          leaseMs: deliveryPolicy.leaseMs,
          limit: deliveryPolicy.batchSize,
        });
        const outcomes = await Promise.all(claimed.map(send));
        for (const o of outcomes) {
          if (o.delivered) pass.delivered += 1;
          else if (o.nextAttemptAt) pass.retrying += 1;
          else pass.failed += 1;
        }
        if (claimed.length < deliveryPolicy.batchSize) return pass;
      }
    },
    close: () => poster.close(),
  };
}
