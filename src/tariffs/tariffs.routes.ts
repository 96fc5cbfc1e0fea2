import { Type } from 'typebox';
import type { App } from '../app.js';
import { Id } from '../shared/primitives.schema.js';
import { actorOfRequest } from '../http/http.auth.js';
import { errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import {
  DiskMib,
  ModuleIds,
  OrderableTemplate,
  RamMib,
  Tariff,
  TariffClone,
  TariffCreate,
  TariffUpdate,
} from './tariffs.schema.js';
import { adminSecurity } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['tariffs'];

/** Tariff plans: list, create, read, update, clone, set modules, orderable list. */
export function registerTariffRoutes(server: Server, app: App): void {
  server.get(
    '/api/v1/admin/tariffs',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Tariff plans',
        querystring: Type.Object({ productTypeId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: ItemsOf(Tariff), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.tariffs.listTariffs(request.query.productTypeId) }),
  );

  server.post(
    '/api/v1/admin/tariffs',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Create a tariff plan',
        body: TariffCreate,
        response: { 201: Tariff, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await app.tariffs.createTariff(request.body, actorOfRequest(request))),
  );

  server.get(
    '/api/v1/admin/tariffs/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'One tariff plan',
        params: IdParams,
        response: { 200: Tariff, ...errorResponses },
      },
    },
    async (request) => app.tariffs.getTariff(request.params.id),
  );

  server.patch(
    '/api/v1/admin/tariffs/:id',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Rename or change the disk of a tariff plan',
        params: IdParams,
        body: TariffUpdate,
        response: { 200: Tariff, ...errorResponses },
      },
    },
    async (request) => app.tariffs.updateTariff(request.params.id, request.body, actorOfRequest(request)),
  );

  server.post(
    '/api/v1/admin/tariffs/:id/clone',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Clone a tariff plan with its modules and per-template decisions',
        params: IdParams,
        body: TariffClone,
        response: { 201: Tariff, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await app.tariffs.cloneTariff(request.params.id, request.body, actorOfRequest(request))),
  );

  server.put(
    '/api/v1/admin/tariffs/:id/modules',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Set the processing modules of a tariff plan',
        params: IdParams,
        body: Type.Object({ moduleIds: ModuleIds }, { additionalProperties: false }),
        response: { 200: Tariff, ...errorResponses },
      },
    },
    async (request) =>
      app.tariffs.setTariffModules(request.params.id, request.body.moduleIds, actorOfRequest(request)),
  );

  server.get(
    '/api/v1/admin/tariffs/:id/orderable',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'The orderable OS list of a tariff, with the module that would build each',
        params: IdParams,
        querystring: Type.Object(
          {
            diskMib: Type.Optional(DiskMib),
            ramMib: Type.Optional(RamMib),
            purpose: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('reinstall')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: ItemsOf(OrderableTemplate), ...errorResponses },
      },
    },
    async (request) => ({
      items: await app.tariffs.listOrderableTemplates(request.params.id, {
        ...(request.query.diskMib === undefined ? {} : { diskMib: request.query.diskMib }),
        ...(request.query.ramMib === undefined ? {} : { ramMib: request.query.ramMib }),
        ...(request.query.purpose === undefined ? {} : { purpose: request.query.purpose }),
      }),
    }),
  );
}
