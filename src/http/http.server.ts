import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { strictValidatorCompiler } from './http.validation.js';
import type { App } from '../app.js';
import { invalidInput } from '../shared/errors.js';
import { createMetrics } from '../metrics/metrics.js';
import { installAuth } from './http.auth.js';
import { installErrorHandling } from './http.errors.js';
import { answerClientError, installHttpSecurity, securityHeadersFor } from './http.security.js';
import { createStorefrontCache } from './storefront-cache.js';
import { registerOpsRoutes } from './ops.routes.js';
import { registerAuthRoutes } from '../auth/auth.routes.js';
import { registerCatalogRoutes } from '../catalog/catalog.routes.js';
import { registerLifecycleRoutes } from '../catalog/lifecycle.routes.js';
import { registerTariffRoutes } from '../tariffs/tariffs.routes.js';
import { registerModuleRoutes } from '../modules/modules.routes.js';
import { registerAuditRoutes } from '../audit/audit.routes.js';
import { registerStorefrontRoutes } from '../tariffs/storefront.routes.js';
import { registerSyncRoutes } from '../sync/sync.routes.js';
import { registerWebhookRoutes } from '../webhooks/webhooks.routes.js';
import { registerUi } from './ui.plugin.js';

export interface HttpServerOptions {
  /** Mark cookies `Secure` (set when the server is reached over TLS). */
  secureCookies?: boolean;
  /** Extra routes or plugins registered before the server is ready (benchmark, CLI control). */
  configure?: (server: Server) => void | Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered (method, url), for the OpenAPI completeness test. */
    registeredRoutes: { method: string; url: string; hidden: boolean }[];
  }
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,100}$/;

function createServer(app: App) {
  return Fastify({
    loggerInstance: app.logger,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && requestIdPattern.test(sent) ? sent : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    routerOptions: { maxParamLength: 500 },
    // What Node's parser refuses (431 header overflow, 400, 408) answers in our error shape too.
    clientErrorHandler: answerClientError,
    // Router-level failures (a URL that cannot be decoded, a bad content type) get our error shape too.
    frameworkErrors: (error, _request, reply) => {
      const body = { error: { code: 'invalid_input', message: error.message.slice(0, 300), details: {} } };
      reply.raw.writeHead(400, {
        'content-type': 'application/json; charset=utf-8',
        ...securityHeadersFor(''),
      });
      reply.raw.end(JSON.stringify(body));
    },
  })
    .setValidatorCompiler(strictValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
}

export type Server = ReturnType<typeof createServer>;

/** Builds the HTTP server on the app's services: the API under /api/v1, ops routes, docs. */
export async function buildHttpServer(app: App, options: HttpServerOptions = {}) {
  const server = createServer(app);
  const metrics = createMetrics(app);
  const storefrontCache = createStorefrontCache({ database: app.database, logger: app.logger });
  metrics.observeStorefrontCache(storefrontCache);
  const registeredRoutes: { method: string; url: string; hidden: boolean }[] = [];
  server.decorate('registeredRoutes', registeredRoutes);
  server.addHook('onRoute', (route) => {
    const hidden = Boolean(route.schema?.hide);
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url, hidden });
  });
  installErrorHandling(server);
  installHttpSecurity(server);
  // The API speaks JSON only: any other body type is a 415, not a string to validate.
  server.removeContentTypeParser('text/plain');
  server.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  server.addHook('preValidation', async (request) => {
    // Routes without a body schema take no body (an empty object is tolerated for clients that always send one).
    const body: unknown = request.body;
    // No body at all reads as `{}`: optional-only bodies pass, required fields are named as missing.
    if (request.routeOptions.schema?.body && body === undefined) request.body = {};
    if (request.routeOptions.schema?.body || body === undefined || body === null) return;
    if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return;
    throw invalidInput('this route takes no body', { in: 'body', field: null });
  });
  server.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttp(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // Read-your-writes on this instance at once; other instances hear the database NOTIFY.
    if (route.startsWith('/api/v1/admin/') && request.method !== 'GET') storefrontCache.clearForAdminWrite();
  });
  server.addHook('onClose', async () => {
    await storefrontCache.close();
  });
  await server.register(cookie);
  installAuth(server, app);
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'os-catalog API',
        version: '1.0.0',
        description: 'OS templates for VPS ordering, kept in sync with VMmanager 6. See docs/api.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (admin or storefront scope)' },
          session: { type: 'apiKey', in: 'cookie', name: 'oscat_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  registerOpsRoutes(server, app, metrics);
  registerAuthRoutes(server, app, { secureCookies: options.secureCookies ?? false });
  registerCatalogRoutes(server, app);
  registerLifecycleRoutes(server, app);
  registerTariffRoutes(server, app);
  registerModuleRoutes(server, app);
  registerAuditRoutes(server, app);
  registerStorefrontRoutes(server, app, storefrontCache);
  registerSyncRoutes(server, app);
  registerWebhookRoutes(server, app);
  await registerUi(server);
  await options.configure?.(server);
  await server.ready();
  await storefrontCache.ready;
  return server;
}

export type HttpServer = Awaited<ReturnType<typeof buildHttpServer>>;
