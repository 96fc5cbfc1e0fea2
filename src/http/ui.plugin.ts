import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { Server } from './http.server.js';

/** Where `npm run build` puts the admin UI (two levels up from both src/http and dist/http). */
export const uiDistDir = fileURLToPath(new URL('../../dist/ui', import.meta.url));

/** Client-side paths of the UI: the server answers index.html and the UI's router takes over. */
const clientPaths = [
  '/login',
  '/products',
  '/products/*',
  '/integrations',
  '/integrations/*',
  '/order-preview',
  '/audit',
];

/**
 * Serves the built admin UI at `/` (hashed assets cached for a year) with an index.html fallback
 * for the UI's own paths only, so unknown API paths keep their JSON 404.
 */
export async function registerUi(server: Server, root: string = uiDistDir): Promise<void> {
  await server.register(async (ui) => {
    if (!existsSync(`${root}/index.html`)) {
      ui.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The admin UI is not built. Run `npm run build` (npm ci and npm start do it for you).\n'),
      );
      return;
    }
    await ui.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
      setHeaders: (reply, path) => {
        const immutable = path.includes('/assets/');
        void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    for (const path of clientPaths) {
      ui.get(path, { schema: { hide: true } }, async (_request, reply) =>
        reply.header('cache-control', 'no-cache').sendFile('index.html'),
      );
    }
  });
}
