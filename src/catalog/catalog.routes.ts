import { Type } from 'typebox';
import type { App } from '../app.js';
import {
  OsTemplate,
  OsTemplateDetail,
  OsTemplateListItem,
  Parameter,
  ProductType,
  Reorder,
  TemplateEdit,
} from './catalog.schema.js';
import { Id, IdList } from '../shared/primitives.schema.js';
import { actorOfRequest } from '../http/http.auth.js';
import { errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import { adminSecurity } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['catalog'];

/** Product types, parameters and OS templates: list, read, edit, disable, reorder, modules, tariffs. */
export function registerCatalogRoutes(server: Server, app: App): void {
  server.get(
    '/api/v1/admin/product-types',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Product types',
        response: {
          200: ItemsOf(ProductType),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await app.catalog.listProductTypes() }),
  );

  server.get(
    '/api/v1/admin/product-types/:id/parameters',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Parameters of a product type',
        params: IdParams,
        response: {
          200: ItemsOf(Parameter),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await app.catalog.listParameters(request.params.id) }),
  );

  server.get(
    '/api/v1/admin/templates',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'OS templates with status all / some / none, in sort order',
        querystring: Type.Object(
          { productTypeId: Type.Optional(Id), includeRetired: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: ItemsOf(OsTemplateListItem), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.catalog.listTemplates(request.query) }),
  );

  server.get(
    '/api/v1/admin/templates/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'One template with its modules and tariffs',
        params: IdParams,
        response: { 200: OsTemplateDetail, ...errorResponses },
      },
    },
    async (request) => app.catalog.getTemplate(request.params.id),
  );

  server.patch(
    '/api/v1/admin/templates/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Edit display name, sort, tags',
        params: IdParams,
        body: TemplateEdit,
        response: { 200: OsTemplate, ...errorResponses },
      },
    },
    async (request) => app.catalog.editTemplate(request.params.id, request.body, actorOfRequest(request)),
  );

  for (const action of ['disable', 'enable', 'approve'] as const) {
    server.post(
      `/api/v1/admin/templates/:id/${action}`,
      {
        ...admin,
        schema: {
          tags,
          security,
          summary:
            action === 'approve'
              ? 'Clear "awaiting review"'
              : `${action === 'disable' ? 'Disable' : 'Enable'} the template`,
          params: IdParams,
          response: { 200: OsTemplate, ...errorResponses },
        },
      },
      async (request) => {
        const { id } = request.params;
        const actor = actorOfRequest(request);
        if (action === 'approve') return app.catalog.approveTemplate(id, actor);
        return app.catalog.setTemplateDisabled(id, action === 'disable', actor);
      },
    );
  }

  server.put(
    '/api/v1/admin/templates/order',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Bulk reorder: set the sort of many templates at once',
        body: Type.Object({ items: Reorder }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await app.catalog.reorderTemplates(request.body.items, actorOfRequest(request));
      return reply.code(204).send(null);
    },
  );

  server.put(
    '/api/v1/admin/templates/:id/modules/:moduleId',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Connect or disconnect the template on a module',
        params: Type.Object({ id: Id, moduleId: Id }, { additionalProperties: false }),
        body: Type.Object({ connected: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: OsTemplateDetail, ...errorResponses },
      },
    },
    async (request) => {
      const { id, moduleId } = request.params;
      await app.catalog.setTemplateConnection(id, moduleId, request.body.connected, actorOfRequest(request));
      return app.catalog.getTemplate(id);
    },
  );

  server.put(
    '/api/v1/admin/templates/:id/tariffs',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Enable or disable the template on one or many tariffs',
        params: IdParams,
        body: Type.Object({ tariffIds: IdList, enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: OsTemplateDetail, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { tariffIds, enabled } = request.body;
      await app.catalog.setTemplateOnTariffs(id, tariffIds, enabled, actorOfRequest(request));
      return app.catalog.getTemplate(id);
    },
  );
}
