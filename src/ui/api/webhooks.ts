import type { Items, WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '../types';
import { ADMIN, api, query } from './client';

/** The storefront webhooks API (docs/api.md, "Webhooks"). */
export const listWebhooks = () => api.get<Items<WebhookEndpoint>>(`${ADMIN}/webhooks`);

export const getWebhook = (id: number) => api.get<WebhookEndpoint>(`${ADMIN}/webhooks/${id}`);

/** Registers an endpoint; the answer carries its signing secret, shown this once. */
export const addWebhook = (body: unknown) => api.post<WebhookEndpointWithSecret>(`${ADMIN}/webhooks`, body);

export const updateWebhook = (id: number, body: unknown) =>
  api.patch<WebhookEndpoint>(`${ADMIN}/webhooks/${id}`, body);

/** Deletes an endpoint, its secret and its delivery log; its pending deliveries are not sent. */
export const deleteWebhook = (id: number) => api.delete(`${ADMIN}/webhooks/${id}`);

/** A new signing secret (shown this once); the old one stops at once. */
export const rotateWebhookSecret = (id: number) =>
  api.post<WebhookEndpointWithSecret>(`${ADMIN}/webhooks/${id}/rotate-secret`);

export const listDeliveries = (id: number, limit = 100) =>
  api.get<Items<WebhookDelivery>>(`${ADMIN}/webhooks/${id}/deliveries${query({ limit })}`);

export const redeliver = (id: number, deliveryId: number) =>
  api.post<WebhookDelivery>(`${ADMIN}/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
