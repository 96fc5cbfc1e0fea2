import type { App } from '../app.js';
import { actorOfRequest } from '../http/http.auth.js';
import { adminSecurity, errorResponses, IdParams } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';
import { OsTemplate, TemplateDeprecate } from './catalog.schema.js';

const admin = { config: { access: 'admin' as const } };
const tags = ['catalog'];

/** Deprecate and undeprecate a template (its lifecycle). */
export function registerLifecycleRoutes(server: Server, app: App): void {
  server.post(
    '/api/v1/admin/templates/:id/deprecate',
    {
      ...admin,
      schema: {
        tags,
        security: adminSecurity,
        summary: 'Deprecate the template: no new orders (reason deprecated), still on reinstall lists',
        description:
          'Without eolAt, or with one in the past, it is deprecated now; with one in the future it is "deprecating" until then and becomes deprecated by itself when the date passes. A sync never changes this.',
        params: IdParams,
        body: TemplateDeprecate,
        response: { 200: OsTemplate, ...errorResponses },
      },
    },
    async (request) =>
      app.lifecycle.deprecateTemplate(request.params.id, request.body, actorOfRequest(request)),
  );

  server.post(
    '/api/v1/admin/templates/:id/undeprecate',
    {
      ...admin,
      schema: {
        tags,
        security: adminSecurity,
        summary: 'Make a deprecated (or deprecating) template active again',
        params: IdParams,
        response: { 200: OsTemplate, ...errorResponses },
      },
    },
    async (request) => app.lifecycle.undeprecateTemplate(request.params.id, actorOfRequest(request)),
  );
}
