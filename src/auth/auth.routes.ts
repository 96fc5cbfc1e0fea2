import { Type } from 'typebox';
import type { App } from '../app.js';
import { Login, SessionInfo } from './auth.schema.js';
import { sessionLifetimeMs } from './auth.service.js';
import { AppError } from '../shared/errors.js';
import { sessionCookie } from '../http/http.auth.js';
import { ErrorBody } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const authErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** Browser sign-in: login (sets the session cookie), current session (with CSRF token), logout. */
export function registerAuthRoutes(server: Server, app: App, options: { secureCookies: boolean }): void {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secureCookies,
  };

  server.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the HttpOnly session cookie and returns the CSRF token',
        body: Login,
        response: { 200: SessionInfo, ...authErrors },
      },
    },
    async (request, reply) => {
      const session = await app.auth.login(request.body, request.ip);
      request.log.info({ adminId: session.admin.id }, 'admin signed in');
      void reply.setCookie(sessionCookie, session.sessionToken, {
        ...cookieOptions,
        maxAge: Math.floor(sessionLifetimeMs / 1000),
      });
      return { admin: session.admin, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  );

  server.get(
    '/api/v1/auth/session',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'The current browser session and its CSRF token',
        security: [{ session: [] }],
        response: { 200: SessionInfo, ...authErrors },
      },
    },
    async (request) => {
      const cookie = request.cookies[sessionCookie];
      const session = cookie ? await app.auth.authenticateSession(cookie) : null;
      if (!session || session.principal.kind !== 'session')
        throw new AppError('unauthorized', 'not signed in');
      const { principal } = session;
      return {
        admin: { id: principal.adminId, email: principal.email },
        csrfToken: principal.csrfToken,
        expiresAt: session.expiresAt,
      };
    },
  );

  server.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (needs x-csrf-token)',
        security: [{ session: [], csrf: [] }],
        response: { 204: Type.Null(), ...authErrors },
      },
    },
    async (request, reply) => {
      if (request.principal?.kind === 'session') await app.auth.logout(request.principal.sessionHash);
      void reply.clearCookie(sessionCookie, cookieOptions);
      return reply.code(204).send(null);
    },
  );
}
