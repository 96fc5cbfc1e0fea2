import { Type } from 'typebox';
import type { App } from '../app.js';
import { AuditQuery, AuditRecord } from './audit.schema.js';
import { AdminAccount, ApiTokenInfo, TokenCreate } from '../auth/auth.schema.js';
import { actorOfRequest } from '../http/http.auth.js';
import { errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import { adminSecurity } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;

/** The audit log, the admin accounts (for its filter) and API tokens. */
export function registerAuditRoutes(server: Server, app: App): void {
  server.get(
    '/api/v1/admin/audit',
    {
      ...admin,
      schema: {
        tags: ['audit'],
        security,
        summary: 'The audit log, newest first, filtered by object and by actor (admin:<email>, token:<name>)',
        querystring: AuditQuery,
        response: { 200: ItemsOf(AuditRecord), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.audit.listAudit(request.query) }),
  );

  server.get(
    '/api/v1/admin/admins',
    {
      ...admin,
      schema: {
        tags: ['auth'],
        security,
        summary: 'Admin accounts',
        response: { 200: ItemsOf(AdminAccount), ...errorResponses },
      },
    },
    async () => ({ items: await app.auth.listAdmins() }),
  );

  server.get(
    '/api/v1/admin/tokens',
    {
      ...admin,
      schema: {
        tags: ['auth'],
        security,
        summary: 'API tokens (never their secrets)',
        response: { 200: ItemsOf(ApiTokenInfo), ...errorResponses },
      },
    },
    async () => ({ items: await app.auth.listTokens() }),
  );

  server.post(
    '/api/v1/admin/tokens',
    {
      ...admin,
      schema: {
        tags: ['auth'],
        security,
        summary: 'Create an API token; the secret is in this answer only',
        body: TokenCreate,
        response: { 201: Type.Object({ token: ApiTokenInfo, secret: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const adminId = principal?.kind === 'session' ? principal.adminId : null;
      const created = await app.auth.createToken(request.body, actorOfRequest(request), adminId);
      return reply.code(201).send(created);
    },
  );

  server.post(
    '/api/v1/admin/tokens/:id/revoke',
    {
      ...admin,
      schema: {
        tags: ['auth'],
        security,
        summary: 'Revoke an API token (it stays listed, with revokedAt)',
        params: IdParams,
        response: { 200: ApiTokenInfo, ...errorResponses },
      },
    },
    async (request) => app.auth.revokeToken(request.params.id, actorOfRequest(request)),
  );
}
