import Fastify from 'fastify';
import type { App } from '../app.js';

/** Builds the HTTP server on the app's services (routes are registered here). */
export async function buildHttpServer(app: App) {
  const server = Fastify({ loggerInstance: app.logger });
  server.get('/healthz', async () => ({ status: 'ok' }));
  await server.ready();
  return server;
}

export type HttpServer = Awaited<ReturnType<typeof buildHttpServer>>;
