import { Type } from 'typebox';
import type { App } from '../app.js';
import { Id } from '../shared/primitives.schema.js';
import {
  ConnectionSettings,
  ConnectionTestAnswer,
  ModuleUpdate,
  ProcessingModule,
} from './modules.schema.js';
import { actorOfRequest } from '../http/http.auth.js';
import { ErrorBody, errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import { adminSecurity } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['modules'];

/** Processing modules: list, read, update, enable/disable, connection test. */
export function registerModuleRoutes(server: Server, app: App): void {
  server.get(
    '/api/v1/admin/modules',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Processing modules with their health',
        querystring: Type.Object({ productTypeId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: ItemsOf(ProcessingModule), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.modules.listModules(request.query.productTypeId) }),
  );

  server.post(
    '/api/v1/admin/modules/test-connection',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Test connection settings before creating a module (nothing is stored)',
        body: ConnectionSettings,
        response: { 200: ConnectionTestAnswer, ...errorResponses },
      },
    },
    async (request) => app.modules.testConnection(request.body),
  );

  server.get(
    '/api/v1/admin/modules/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'One processing module',
        params: IdParams,
        response: { 200: ProcessingModule, ...errorResponses },
      },
    },
    async (request) => app.modules.getModule(request.params.id),
  );

  server.patch(
    '/api/v1/admin/modules/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Update a processing module (the password is write-only)',
        params: IdParams,
        body: ModuleUpdate,
        response: { 200: ProcessingModule, ...errorResponses },
      },
    },
    async (request) => app.modules.updateModule(request.params.id, request.body, actorOfRequest(request)),
  );

  for (const action of ['disable', 'enable'] as const) {
    server.post(
      `/api/v1/admin/modules/:id/${action}`,
      {
        ...admin,
        schema: {
          tags,
          security,
          summary: `${action === 'disable' ? 'Disable' : 'Enable'} a processing module`,
          params: IdParams,
          response: { 200: ProcessingModule, ...errorResponses },
        },
      },
      async (request) =>
        app.modules.setModuleEnabled(request.params.id, action === 'enable', actorOfRequest(request)),
    );
  }

  server.post(
    '/api/v1/admin/modules/:id/test-connection',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Test the stored connection of a module',
        params: IdParams,
        response: { 200: ConnectionTestAnswer, ...errorResponses, 502: ErrorBody },
      },
    },
    async (request) => app.modules.testModuleConnection(request.params.id),
  );
}
