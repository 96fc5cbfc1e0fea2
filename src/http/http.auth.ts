import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from './http.server.js';
import type { App } from '../app.js';
import { actorOf, type Principal } from '../auth/auth.schema.js';
import { safeEqual } from '../auth/auth.service.js';
import { AppError } from '../shared/errors.js';

/** Who may call a route: anyone, a storefront (or admin), an admin, or only a browser session. */
export type RouteAccess = 'public' | 'storefront' | 'admin' | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const sessionCookie = 'oscat_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function identify(app: App, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header);
    const principal = match ? await app.auth.authenticateToken(match[1]!) : null;
    if (!principal) throw new AppError('unauthorized', 'the API token is unknown or revoked');
    return principal;
  }
  const cookie = request.cookies[sessionCookie];
  if (cookie === undefined) return null;
  const session = cookie.length <= 200 ? await app.auth.authenticateSession(cookie) : null;
  return session?.principal ?? null;
}

/** Checks who is calling against the route's `config.access`, and CSRF for session writes. */
export function installAuth(server: Server, app: App): void {
  server.decorateRequest('principal', null);
  server.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const principal = await identify(app, request);
    if (!principal) throw new AppError('unauthorized', 'sign in or send an API token');
    if (access === 'session' && principal.kind !== 'session') {
      throw new AppError('forbidden', 'this route needs a browser session', { reason: 'session_only' });
    }
    if (access === 'admin' && principal.kind === 'token' && principal.scope !== 'admin') {
      throw new AppError('forbidden', 'this token may call only the storefront API', { reason: 'scope' });
    }
    if (principal.kind === 'session' && !safeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) {
        throw new AppError('forbidden', 'missing or wrong x-csrf-token header', { reason: 'csrf' });
      }
    }
    request.principal = principal;
  });
}

/** The audit actor of the (authenticated) caller. */
export function actorOfRequest(request: FastifyRequest): string {
  if (!request.principal) throw new AppError('unauthorized', 'sign in or send an API token');
  return actorOf(request.principal);
}
