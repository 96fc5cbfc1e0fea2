import { Type, type Static } from 'typebox';
import { DisplayName, Id, Sort } from '../catalog/catalog.schema.js';

export const NewTemplatePolicy = Type.Union([Type.Literal('enable'), Type.Literal('hold')]);
export type NewTemplatePolicy = Static<typeof NewTemplatePolicy>;

export const ModuleUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
});
export const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' });
export const Password = Type.String({ minLength: 1, maxLength: 1000 });
export const CronExpression = Type.String({ minLength: 9, maxLength: 200 });

const moduleFields = {
  name: DisplayName,
  url: ModuleUrl,
  adminEmail: Email,
  password: Password,
  clusterId: Type.Union([Id, Type.Null()]),
  sort: Sort,
  verifyTls: Type.Boolean(),
  enabled: Type.Boolean(),
  schedule: CronExpression,
  newTemplatePolicy: NewTemplatePolicy,
  guardMaxDisconnectShare: Type.Number({ minimum: 0, maximum: 1 }),
  connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600000 }),
  requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3600000 }),
  webhookUrl: Type.Union([ModuleUrl, Type.Null()]),
};

/** Input of "add a processing module". */
export const ModuleCreate = Type.Object(
  {
    name: moduleFields.name,
    url: moduleFields.url,
    adminEmail: moduleFields.adminEmail,
    password: moduleFields.password,
    productTypeId: Type.Optional(Id),
    clusterId: Type.Optional(moduleFields.clusterId),
    sort: Type.Optional(moduleFields.sort),
    verifyTls: Type.Optional(moduleFields.verifyTls),
    enabled: Type.Optional(moduleFields.enabled),
    schedule: Type.Optional(moduleFields.schedule),
    newTemplatePolicy: Type.Optional(moduleFields.newTemplatePolicy),
    guardMaxDisconnectShare: Type.Optional(moduleFields.guardMaxDisconnectShare),
    connectTimeoutMs: Type.Optional(moduleFields.connectTimeoutMs),
    requestTimeoutMs: Type.Optional(moduleFields.requestTimeoutMs),
    webhookUrl: Type.Optional(moduleFields.webhookUrl),
  },
  { additionalProperties: false },
);
export type ModuleCreate = Static<typeof ModuleCreate>;

/** Input of "update a processing module"; the password is only ever written, never read. */
export const ModuleUpdate = Type.Object(
  {
    name: Type.Optional(moduleFields.name),
    url: Type.Optional(moduleFields.url),
    adminEmail: Type.Optional(moduleFields.adminEmail),
    password: Type.Optional(moduleFields.password),
    clusterId: Type.Optional(moduleFields.clusterId),
    sort: Type.Optional(moduleFields.sort),
    verifyTls: Type.Optional(moduleFields.verifyTls),
    enabled: Type.Optional(moduleFields.enabled),
    schedule: Type.Optional(moduleFields.schedule),
    newTemplatePolicy: Type.Optional(moduleFields.newTemplatePolicy),
    guardMaxDisconnectShare: Type.Optional(moduleFields.guardMaxDisconnectShare),
    connectTimeoutMs: Type.Optional(moduleFields.connectTimeoutMs),
    requestTimeoutMs: Type.Optional(moduleFields.requestTimeoutMs),
    webhookUrl: Type.Optional(moduleFields.webhookUrl),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ModuleUpdate = Static<typeof ModuleUpdate>;

/** A processing module as the service shows it: no password, ever. */
export interface ProcessingModule {
  id: number;
  productTypeId: number;
  name: string;
  kind: string;
  url: string;
  adminEmail: string;
  clusterId: number | null;
  sort: number;
  verifyTls: boolean;
  enabled: boolean;
  schedule: string;
  newTemplatePolicy: NewTemplatePolicy;
  guardMaxDisconnectShare: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  webhookUrl: string | null;
  health: ModuleHealth;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModuleHealth {
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastFailureMessage: string | null;
  consecutiveFailures: number;
}

/** What the connector needs to reach VMmanager; only the sync and the connection test see it. */
export interface ModuleConnection {
  url: string;
  adminEmail: string;
  password: string;
  clusterId: number | null;
  verifyTls: boolean;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}
