import { Type } from 'typebox';
import type { App } from '../app.js';
import { Id } from '../catalog/catalog.schema.js';
import { OrderCheck } from './order-check.service.js';
import { errorResponses, StorefrontOs, storefrontSecurity } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';
import type { FastifyReply } from 'fastify';
import type { StorefrontCache } from '../http/storefront-cache.js';

const storefront = { config: { access: 'storefront' as const } };
const security = storefrontSecurity;
const tags = ['storefront'];

const OsList = Type.Object({ tariffId: Type.Integer(), items: Type.Array(StorefrontOs) });
const OrderCheckAnswer = Type.Union([
  Type.Object({
    orderable: Type.Literal(true),
    templateId: Type.Integer(),
    moduleId: Type.Integer(),
    moduleName: Type.String(),
  }),
  Type.Object({
    orderable: Type.Literal(false),
    reason: Type.Union([
      Type.Literal('unknown'),
      Type.Literal('retired'),
      Type.Literal('disabled'),
      Type.Literal('not_enabled'),
      Type.Literal('awaiting_review'),
      Type.Literal('not_connected'),
      Type.Literal('unavailable'),
      Type.Literal('disk_too_small'),
    ]),
  }),
]);

/** The order form's OS list of a tariff, serialized once per catalog version. */
async function readOsList(app: App, tariffId: number): Promise<string> {
  const templates = await app.tariffs.listOrderableTemplates(tariffId);
  return JSON.stringify({
    tariffId,
    items: templates.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      internalName: t.internalName,
      minDiskMib: t.minDiskMib,
      sort: t.sort,
    })),
  });
}

/** Sends bytes that are already JSON; Fastify passes a Buffer through as is (no serialization). */
const sendJsonBytes = (reply: FastifyReply, body: Buffer): void => {
  void reply.type('application/json; charset=utf-8').send(body);
};

/** What a storefront needs: the OS list of a tariff and the checkout re-check. */
export function registerStorefrontRoutes(server: Server, app: App, cache: StorefrontCache): void {
  server.get(
    '/api/v1/storefront/tariffs/:id/os',
    {
      ...storefront,
      schema: {
        tags,
        security,
        summary: 'The orderable OS templates of a tariff, in order-form order',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        response: { 200: OsList, ...errorResponses },
      },
    },
    // Not async: a cache hit answers without a promise hop; only a miss waits for the database.
    (request, reply) => {
      const { id } = request.params;
      const cached = cache.get(id);
      if (cached !== undefined) {
        sendJsonBytes(reply, cached);
        return;
      }
      return cache.load(id, () => readOsList(app, id)).then((body) => sendJsonBytes(reply, body));
    },
  );

  server.post(
    '/api/v1/storefront/orders/check',
    {
      ...storefront,
      schema: {
        tags,
        security,
        summary: 'Re-check an order at checkout: the module that would build it, or why not',
        body: OrderCheck,
        response: { 200: OrderCheckAnswer, ...errorResponses },
      },
    },
    async (request) => app.orders.checkOrder(request.body),
  );
}
