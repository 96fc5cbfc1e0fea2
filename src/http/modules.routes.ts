import { Type } from 'typebox';
import type { App } from '../app.js';
import { Id } from '../catalog/catalog.schema.js';
import { ModuleCreate, ModuleUpdate } from '../modules/modules.schema.js';
import {
  createVmmanagerClientFactory,
  type VmmanagerClientFactory,
} from '../vmmanager6/vmmanager6.factory.js';
import { testVmmanagerConnection } from '../vmmanager6/vmmanager6.service.js';
import { defaultMaxAnswerBytes } from '../vmmanager6/vmmanager6.client.js';
import { actorOfRequest } from './http.auth.js';
import { checkOutboundUrl } from '../shared/outbound.js';
import {
  ConnectionTest,
  ErrorBody,
  errorResponses,
  IdParams,
  ItemsOf,
  ProcessingModule,
} from './http.schemas.js';
import { adminSecurity } from './http.schemas.js';
import type { Server } from './http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['modules'];

const ConnectionTestBody = Type.Object(
  {
    url: ModuleCreate.properties.url,
    adminEmail: ModuleCreate.properties.adminEmail,
    password: ModuleCreate.properties.password,
    clusterId: ModuleCreate.properties.clusterId,
    verifyTls: ModuleCreate.properties.verifyTls,
    connectTimeoutMs: ModuleCreate.properties.connectTimeoutMs,
    requestTimeoutMs: ModuleCreate.properties.requestTimeoutMs,
    maxAnswerBytes: ModuleCreate.properties.maxAnswerBytes,
  },
  { additionalProperties: false },
);

/** The app's VMmanager client factory when it has one (tests, simulator), else the real one. */
export function clientFactoryOf(app: App): VmmanagerClientFactory {
  const injected = (app as { vmmanagerClientFactory?: VmmanagerClientFactory }).vmmanagerClientFactory;
  return injected ?? createVmmanagerClientFactory(app.logger, { allow: app.outboundAllow });
}

/** Processing modules: list, read, update, enable/disable, connection test. */
export function registerModuleRoutes(server: Server, app: App): void {
  const connect = clientFactoryOf(app);

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
        body: ConnectionTestBody,
        response: { 200: ConnectionTest, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body;
      checkOutboundUrl(body.url, 'url', app.outboundAllow);
      const client = connect({
        url: body.url,
        adminEmail: body.adminEmail,
        password: body.password,
        clusterId: body.clusterId ?? null,
        verifyTls: body.verifyTls ?? true,
        connectTimeoutMs: body.connectTimeoutMs ?? 5000,
        requestTimeoutMs: body.requestTimeoutMs ?? 30000,
        maxAnswerBytes: body.maxAnswerBytes ?? defaultMaxAnswerBytes,
      });
      return testVmmanagerConnection(client, { clusterId: body.clusterId ?? null });
    },
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
        response: { 200: ConnectionTest, ...errorResponses, 502: ErrorBody },
      },
    },
    async (request) => {
      const connection = await app.modules.getModuleConnection(request.params.id);
      return testVmmanagerConnection(connect(connection), { clusterId: connection.clusterId });
    },
  );
}
