import { Type, type Static } from 'typebox';
import {
  AnyJson,
  DateTime,
  DisplayName,
  Email,
  Id,
  NullableBool,
  NullableDateTime,
  NullableInt,
  NullableString,
  Sort,
} from '../shared/primitives.schema.js';
import { defaultMaxAnswerBytes } from '../vmmanager6/vmmanager6.client.js';
import type { ConnectionTestResult } from '../vmmanager6/vmmanager6.service.js';

export const NewTemplatePolicy = Type.Union([Type.Literal('enable'), Type.Literal('hold')]);
export type NewTemplatePolicy = Static<typeof NewTemplatePolicy>;

export const ModuleUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
});
export const Password = Type.String({ minLength: 1, maxLength: 1000 });
/** A long-lived VMmanager token (Auth v4 `POST /auth/v4/token`), used instead of the password. */
export const ApiToken = Type.String({ minLength: 1, maxLength: 4000, pattern: '^[^\\s]+$' });

/** How a module signs in: with the admin's email and password, or with an API token. */
export const AuthMethod = Type.Union([Type.Literal('password'), Type.Literal('token')]);
export type AuthMethod = Static<typeof AuthMethod>;
export const CronExpression = Type.String({ minLength: 9, maxLength: 200 });

// What connects to VMmanager (required when a module is added, with the password or an API
// token: exactly one) and how the module behaves.
const connectionFields = {
  name: DisplayName,
  url: ModuleUrl,
  adminEmail: Email,
};
const secretFields = {
  password: Type.Optional(Password),
  apiToken: Type.Optional(ApiToken),
};
const settingFields = {
  clusterId: Type.Union([Id, Type.Null()]),
  sort: Sort,
  verifyTls: Type.Boolean(),
  enabled: Type.Boolean(),
  schedule: CronExpression,
  newTemplatePolicy: NewTemplatePolicy,
  guardMaxDisconnectShare: Type.Number({ minimum: 0, maximum: 1 }),
  connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600000 }),
  requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3600000 }),
  /** The most bytes one VMmanager answer may have: 64 KiB to 256 MiB (default 32 MiB). */
  maxAnswerBytes: Type.Integer({ minimum: 65536, maximum: 268435456 }),
  webhookUrl: Type.Union([ModuleUrl, Type.Null()]),
  includeNoOs: Type.Boolean(),
};

/** Input of "add a processing module". */
export const ModuleCreate = Type.Object(
  {
    ...connectionFields,
    ...secretFields,
    productTypeId: Type.Optional(Id),
    ...Type.Partial(Type.Object(settingFields)).properties,
  },
  { additionalProperties: false },
);
export type ModuleCreate = Static<typeof ModuleCreate>;

/** Connection settings to test before a module exists (nothing is stored). */
export const ConnectionSettings = Type.Object(
  {
    url: ModuleCreate.properties.url,
    adminEmail: ModuleCreate.properties.adminEmail,
    password: ModuleCreate.properties.password,
    apiToken: ModuleCreate.properties.apiToken,
    clusterId: ModuleCreate.properties.clusterId,
    verifyTls: ModuleCreate.properties.verifyTls,
    connectTimeoutMs: ModuleCreate.properties.connectTimeoutMs,
    requestTimeoutMs: ModuleCreate.properties.requestTimeoutMs,
    maxAnswerBytes: ModuleCreate.properties.maxAnswerBytes,
  },
  { additionalProperties: false },
);
export type ConnectionSettings = Static<typeof ConnectionSettings>;

/** The connection settings among a module's input (what its connection test is given). */
export const connectionSettingsOf = (input: ModuleCreate): ConnectionSettings =>
  Object.fromEntries(
    Object.keys(ConnectionSettings.properties).map((key) => [key, input[key as keyof ConnectionSettings]]),
  ) as ConnectionSettings;

/** What a connection uses where its settings say nothing: the defaults of a new module's columns too. */
export const connectionDefaults = {
  verifyTls: true,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxAnswerBytes: defaultMaxAnswerBytes,
} as const;

/**
 * Input of "update a processing module" (any field but the product type). The password and the
 * API token are only ever written, never read; giving one switches the module to it.
 */
export const ModuleUpdate = Type.Partial(
  Type.Object({ ...connectionFields, ...secretFields, ...settingFields }),
  {
    additionalProperties: false,
    minProperties: 1,
  },
);
export type ModuleUpdate = Static<typeof ModuleUpdate>;

/** A processing module as the service shows it: no password, ever. */
export const ModuleHealth = Type.Object({
  lastSuccessAt: NullableDateTime,
  lastFailureAt: NullableDateTime,
  lastFailureMessage: NullableString,
  consecutiveFailures: Type.Integer(),
  /**
   * Scheduled syncs skip their slots before this time because VMmanager kept failing (null:
   * fewer than two failures in a row). Manual syncs always run.
   */
  backoffUntil: NullableDateTime,
});
export type ModuleHealth = Static<typeof ModuleHealth>;

/** A processing module as the API answers it (the password never leaves the server). */
export const ProcessingModule = Type.Object({
  id: Type.Integer(),
  productTypeId: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  url: Type.String(),
  adminEmail: Type.String(),
  /** How the module signs in (the secret itself is never answered). */
  authMethod: AuthMethod,
  clusterId: NullableInt,
  sort: Type.Integer(),
  verifyTls: Type.Boolean(),
  enabled: Type.Boolean(),
  schedule: Type.String(),
  // Answered as a plain string in the OpenAPI document; the values are NewTemplatePolicy's.
  newTemplatePolicy: Type.Unsafe<NewTemplatePolicy>({ type: 'string' }),
  guardMaxDisconnectShare: Type.Number(),
  connectTimeoutMs: Type.Integer(),
  requestTimeoutMs: Type.Integer(),
  maxAnswerBytes: Type.Integer(),
  webhookUrl: NullableString,
  /** Offer VMmanager's NoOS pseudo-template (a VM without an OS, repository `local`); off by default. */
  includeNoOs: Type.Boolean(),
  health: ModuleHealth,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type ProcessingModule = Static<typeof ProcessingModule>;

/** A connection test's outcome with the address it tested (the one pasted, cut to its base). */
export type ModuleConnectionTest = ConnectionTestResult & { url: string };

/** The answer of both test-connection routes, for either outcome (`ok` tells which fields are there). */
export const ConnectionTestAnswer = Type.Object({
  ok: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  user: Type.Optional(AnyJson),
  clusters: Type.Optional(Type.Array(AnyJson)),
  clusterFound: Type.Optional(NullableBool),
  /** What a passed test could not check (e.g. the account's roles), one line each. */
  warnings: Type.Optional(Type.Array(Type.String())),
  /** The address tested: the one given, cut to the installation's base (what is stored). */
  url: Type.String(),
});
