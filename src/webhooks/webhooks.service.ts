import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { checkOutboundUrl } from '../shared/outbound.js';
import type { SecretBox } from '../shared/secrets.js';
import { parseWith } from '../shared/validate.js';
import { Id } from '../shared/primitives.schema.js';
import { auditedChange } from '../audit/audited-change.js';
import {
  deleteEndpointRow,
  endpointRowToEndpoint,
  insertEndpointRow,
  requeueDelivery,
  selectDeliveries,
  selectDelivery,
  selectEndpointRow,
  selectEndpointRows,
  updateEndpointRow,
  type DroppedDeliveries,
  type EndpointRow,
} from './webhooks.repository.js';
import {
  DeliveryQuery,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from './webhooks.schema.js';
import { deliveryPolicy } from './webhook-delivery.policy.js';

/** What a delete removed: the endpoint as it was, and how many deliveries of each state it had. */
export interface DeletedEndpoint {
  endpoint: WebhookEndpoint;
  deliveries: DroppedDeliveries;
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a secret store. */
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

// What the audit log shows of an endpoint: never the secret, not even encrypted.
const auditView = (e: EndpointRow) => ({
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  description: e.description,
});

/** Storefront webhook endpoints (register, change, rotate the secret) and their delivery logs. */
export function createWebhooksService(deps: {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  outboundAllow?: OutboundAllowList | undefined;
}) {
  const { db, clock, secrets } = deps;

  const requireEndpoint = async (id: number): Promise<EndpointRow> => {
    parseWith(Id, id, { what: 'endpointId' });
    const row = await selectEndpointRow(db, id);
    if (!row) throw notFound('webhook endpoint', id);
    return row;
  };

  // The same outbound rules as every URL an admin gives: http(s), no user:pass@, the allow-list.
  const checkUrl = (url: string | undefined) => {
    if (url !== undefined) checkOutboundUrl(url, 'url', deps.outboundAllow);
  };

  return {
    async listEndpoints(): Promise<WebhookEndpoint[]> {
      return (await selectEndpointRows(db)).map(endpointRowToEndpoint);
    },

    async getEndpoint(id: number): Promise<WebhookEndpoint> {
      return endpointRowToEndpoint(await requireEndpoint(id));
    },

    /** Registers an endpoint; the answer carries its signing secret, shown this once. */
    async createEndpoint(input: WebhookEndpointCreate, actor: string): Promise<WebhookEndpointWithSecret> {
      const data = parseWith(WebhookEndpointCreate, input, { what: 'endpoint' });
      checkUrl(data.url);
      const secret = newSecret();
      const row = await auditedChange(db, clock, async (tx, at) => {
        const created = await insertEndpointRow(
          tx,
          {
            url: data.url,
            description: data.description ?? '',
            events: data.events,
            enabled: data.enabled ?? true,
            secretEncrypted: secrets.encrypt(secret),
          },
          at,
        );
        const audit = {
          actor,
          action: 'webhook.create',
          objectType: 'webhook_endpoint',
          objectId: created.id,
        };
        return { result: created, audit: { ...audit, after: auditView(created) } };
      });
      return { endpoint: endpointRowToEndpoint(row), secret };
    },

    async updateEndpoint(id: number, input: WebhookEndpointUpdate, actor: string): Promise<WebhookEndpoint> {
      parseWith(Id, id, { what: 'endpointId' });
      const data = parseWith(WebhookEndpointUpdate, input, { what: 'endpoint' });
      checkUrl(data.url);
      const row = await auditedChange(db, clock, async (tx, at) => {
        const before = await selectEndpointRow(tx, id, true);
        if (!before) throw notFound('webhook endpoint', id);
        const after = await updateEndpointRow(tx, id, data, at);
        const audit = { actor, action: 'webhook.update', objectType: 'webhook_endpoint', objectId: id };
        return { result: after, audit: { ...audit, before: auditView(before), after: auditView(after) } };
      });
      return endpointRowToEndpoint(row);
    },

    /** A new signing secret replaces the old one at once; the answer shows it this once. */
    async rotateSecret(id: number, actor: string): Promise<WebhookEndpointWithSecret> {
      parseWith(Id, id, { what: 'endpointId' });
      const secret = newSecret();
      const row = await auditedChange(db, clock, async (tx, at) => {
        const before = await selectEndpointRow(tx, id, true);
        if (!before) throw notFound('webhook endpoint', id);
        const after = await updateEndpointRow(
          tx,
          id,
          { secretEncrypted: secrets.encrypt(secret), secretRotatedAt: at },
          at,
        );
        return {
          result: after,
          audit: { actor, action: 'webhook.rotate_secret', objectType: 'webhook_endpoint', objectId: id },
        };
      });
      return { endpoint: endpointRowToEndpoint(row), secret };
    },

    /**
     * Deletes an endpoint, its secret and its delivery log: its pending deliveries are never sent.
     * The audit entry keeps what it was and how many deliveries of each state it had.
     */
    async deleteEndpoint(id: number, actor: string): Promise<DeletedEndpoint> {
      parseWith(Id, id, { what: 'endpointId' });
      return auditedChange(db, clock, async (tx) => {
        const before = await selectEndpointRow(tx, id, true);
        if (!before) throw notFound('webhook endpoint', id);
        const deliveries = await deleteEndpointRow(tx, id);
        const audit = { actor, action: 'webhook.delete', objectType: 'webhook_endpoint', objectId: id };
        return {
          result: { endpoint: endpointRowToEndpoint(before), deliveries },
          audit: { ...audit, before: auditView(before), after: { deliveries } },
        };
      });
    },

    /** The endpoint's delivery log, newest first (default 50). */
    async listDeliveries(id: number, query: DeliveryQuery = {}): Promise<WebhookDelivery[]> {
      const filter = parseWith(DeliveryQuery, query, { what: 'query' });
      await requireEndpoint(id);
      return selectDeliveries(db, id, { limit: filter.limit ?? 50, state: filter.state });
    },

    /**
     * Sends a delivery again (the same event id, so a receiver that has it can tell): due now,
     * with a new day of retries. One being sent right now is a conflict.
     */
    async redeliver(id: number, deliveryId: number, actor: string): Promise<WebhookDelivery> {
      parseWith(Id, deliveryId, { what: 'deliveryId' });
      await requireEndpoint(id);
      await auditedChange(db, clock, async (tx, at) => {
        const found = await selectDelivery(tx, id, deliveryId, true);
        if (!found) throw notFound('delivery', deliveryId);
        const { delivery, leaseUntil } = found;
        if (delivery.state === 'pending' && leaseUntil !== null && leaseUntil > at)
          throw new AppError('conflict', `delivery ${deliveryId} is being sent right now`);
        await requeueDelivery(tx, deliveryId, at, new Date(at.getTime() + deliveryPolicy.giveUpAfterMs));
        const audit = { actor, action: 'webhook.redeliver', objectType: 'webhook_endpoint', objectId: id };
        return { result: undefined, audit: { ...audit, after: { deliveryId, eventId: delivery.eventId } } };
      });
      const updated = await selectDelivery(db, id, deliveryId);
      if (!updated) throw notFound('delivery', deliveryId);
      return updated.delivery;
    },
  };
}
