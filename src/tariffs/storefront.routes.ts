import { Type } from 'typebox';
import type { App } from '../app.js';
import { Id } from '../shared/primitives.schema.js';
import { notOrderableReasons, type NotOrderableReason } from '../catalog/catalog.schema.js';
import { OrderCheck } from './order-check.service.js';
import { errorResponses, storefrontSecurity } from '../http/http.schemas.js';
import { StorefrontLifecycle, StorefrontOs } from './tariffs.schema.js';
import type { Server } from '../http/http.server.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedAnswer, StorefrontCache } from '../http/storefront-cache.js';
import { ifNoneMatchHits } from './storefront-list.js';

const storefront = { config: { access: 'storefront' as const } };
const security = storefrontSecurity;
const tags = ['storefront'];

const OsList = Type.Object({ tariffId: Type.Integer(), items: Type.Array(StorefrontOs) });
const placementFields = {
  moduleId: Type.Integer({ description: 'The processing module (VMmanager installation) that builds it' }),
  moduleName: Type.String(),
  upstreamId: Type.Unsafe<number | null>({
    type: ['integer', 'null'],
    description: 'The VMmanager template id in that installation: `os` of POST /vm/v3/host',
  }),
  clusterId: Type.Unsafe<number | null>({
    type: ['integer', 'null'],
    description: 'The cluster to place it on (`cluster` of POST /vm/v3/host): the lowest of clusterIds',
  }),
  clusterIds: Type.Array(Type.Integer(), {
    description: 'Every cluster of that installation it can be built on',
  }),
  virtualization: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    description: 'kvm | lxd | null (unknown)',
  }),
};
const OrderCheckAnswer = Type.Union([
  Type.Object({
    orderable: Type.Literal(true),
    templateId: Type.Integer(),
    lifecycle: StorefrontLifecycle,
    ...placementFields,
    alternatives: Type.Array(Type.Object(placementFields), {
      description: 'The other modules of the tariff that could build it, in the order they would be chosen',
    }),
  }),
  Type.Object({
    orderable: Type.Literal(false),
    reason: Type.Unsafe<NotOrderableReason | 'unknown'>({
      type: 'string',
      enum: ['unknown', ...notOrderableReasons],
    }),
    templateId: Type.Optional(
      Type.Integer({
        description:
          'Only with reason deprecated, as is lifecycle: its EOL date and the replacement to offer instead',
      }),
    ),
    lifecycle: Type.Optional(StorefrontLifecycle),
  }),
]);

/**
 * Sends bytes that are already JSON (Fastify passes a Buffer through as is: no serialization),
 * with their ETag; a request that already has them (`If-None-Match`) gets 304 and no body.
 * `no-cache`: a cache may keep the answer but must ask again (a cheap 304) before using it.
 */
const sendList = (request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer): void => {
  void reply.header('etag', answer.etag).header('cache-control', 'no-cache');
  if (ifNoneMatchHits(request.headers['if-none-match'], answer.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.type('application/json; charset=utf-8').send(answer.body);
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
        description:
          'Answers carry a strong ETag (a digest of the bytes) and Cache-Control: no-cache; send it back as If-None-Match to get 304 while the list is unchanged.',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        querystring: Type.Object(
          {
            purpose: Type.Optional(
              Type.Union([Type.Literal('order'), Type.Literal('reinstall')], {
                description:
                  'order (default): what a new order may pick; reinstall: what an existing service on the tariff may reinstall to (also the deprecated ones, flagged by lifecycle)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: OsList,
          304: Type.Null({ description: 'Not modified: the ETag still matches' }),
          ...errorResponses,
        },
      },
    },
    // Not async: a cache hit answers without a promise hop; only a miss waits for the database.
    (request, reply) => {
      const { id } = request.params;
      const purpose = request.query.purpose ?? 'order';
      const key = `${id}:${purpose}`;
      const cached = cache.get(key);
      if (cached !== undefined) {
        sendList(request, reply, cached);
        return;
      }
      return cache
        .load(key, () => app.tariffs.renderStorefrontList(id, purpose))
        .then((answer) => sendList(request, reply, answer));
    },
  );

  server.post(
    '/api/v1/storefront/orders/check',
    {
      ...storefront,
      schema: {
        tags,
        security,
        summary:
          'Re-check an order at checkout: where to build it (module, VMmanager template, cluster), or why not',
        description:
          'When several modules of the tariff could build it, the one with the lowest sort (then id) that has it available is chosen; the others are listed in alternatives.',
        body: OrderCheck,
        response: { 200: OrderCheckAnswer, ...errorResponses },
      },
    },
    async (request) => app.orders.checkOrder(request.body),
  );
}
