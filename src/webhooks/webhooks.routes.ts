import { Type } from 'typebox';
import type { App } from '../app.js';
import { actorOfRequest } from '../http/http.auth.js';
import { adminSecurity, errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';
import {
  DeliveryParams,
  DeliveryQuery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
} from './webhooks.schema.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['webhooks'];

/** Storefront webhook endpoints, their secrets and their delivery logs. */
export function registerWebhookRoutes(server: Server, app: App): void {
  server.get(
    '/api/v1/admin/webhooks',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Storefront webhook endpoints (never their secrets)',
        response: { 200: ItemsOf(WebhookEndpoint), ...errorResponses },
      },
    },
    async () => ({ items: await app.webhooks.listEndpoints() }),
  );

  server.post(
    '/api/v1/admin/webhooks',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Register a webhook endpoint; the answer shows its signing secret, this once',
        body: WebhookEndpointCreate,
        response: { 201: WebhookEndpointWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await app.webhooks.createEndpoint(request.body, actorOfRequest(request));
      return reply.code(201).send(created);
    },
  );

  server.get(
    '/api/v1/admin/webhooks/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'One webhook endpoint',
        params: IdParams,
        response: { 200: WebhookEndpoint, ...errorResponses },
      },
    },
    async (request) => app.webhooks.getEndpoint(request.params.id),
  );

  server.patch(
    '/api/v1/admin/webhooks/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Change a webhook endpoint (URL, events, enabled, description)',
        params: IdParams,
        body: WebhookEndpointUpdate,
        response: { 200: WebhookEndpoint, ...errorResponses },
      },
    },
    async (request) => app.webhooks.updateEndpoint(request.params.id, request.body, actorOfRequest(request)),
  );

  server.delete(
    '/api/v1/admin/webhooks/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary:
          'Delete a webhook endpoint, its secret and its delivery log (pending deliveries are not sent)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.webhooks.deleteEndpoint(request.params.id, actorOfRequest(request));
      return reply.code(204).send(null);
    },
  );

  server.post(
    '/api/v1/admin/webhooks/:id/rotate-secret',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Replace the signing secret; the answer shows the new one, this once',
        params: IdParams,
        response: { 200: WebhookEndpointWithSecret, ...errorResponses },
      },
    },
    async (request) => app.webhooks.rotateSecret(request.params.id, actorOfRequest(request)),
  );

  server.get(
    '/api/v1/admin/webhooks/:id/deliveries',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: "The endpoint's delivery log, newest first",
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: ItemsOf(WebhookDelivery), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.webhooks.listDeliveries(request.params.id, request.query) }),
  );

  server.post(
    '/api/v1/admin/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Send a delivery again now (same event id)',
        params: DeliveryParams,
        response: { 200: WebhookDelivery, ...errorResponses },
      },
    },
    async (request) =>
      app.webhooks.redeliver(request.params.id, request.params.deliveryId, actorOfRequest(request)),
  );
}
