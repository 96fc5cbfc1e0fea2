import { Type, type TSchema } from 'typebox';
import { notOrderableReasons, Tags } from '../catalog/catalog.schema.js';
import { DisplayName, Id, Sort } from '../shared/primitives.schema.js';

/** Response-side building blocks: dates go out as ISO strings (fast-json-stringify formats Date). */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Unsafe<Date | null>({ type: ['string', 'null'], format: 'date-time' });
export const NullableInt = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
export const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
export const NullableBool = Type.Unsafe<boolean | null>({ type: ['boolean', 'null'] });
export const AnyJson = Type.Unsafe<unknown>({});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), AnyJson),
    }),
  },
  { description: 'Every error answer' },
);

export const ItemsOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

const templateFields = {
  id: Type.Integer(),
  parameterId: Type.Integer(),
  displayName: Type.String(),
  displayNameByAdmin: Type.Boolean(),
  internalName: Type.String(),
  tags: Type.Array(Type.String()),
  sort: Type.Integer(),
  minDiskMib: NullableInt,
  minRamMib: NullableInt,
  osGroup: NullableString,
  disabled: Type.Boolean(),
  disabledAt: NullableDateTime,
  disabledBy: NullableString,
  awaitingReview: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
  retiredAt: NullableDateTime,
};
const Status = Type.Union([Type.Literal('all'), Type.Literal('some'), Type.Literal('none')]);
const Reason = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  enum: [...notOrderableReasons, null],
});

export const Template = Type.Object(templateFields);
export const TemplateListItem = Type.Object({
  ...templateFields,
  status: Status,
  orderableTariffCount: Type.Integer(),
  tariffCount: Type.Integer(),
  connectedModuleIds: Type.Array(Type.Integer()),
});
export const TemplateDetail = Type.Object({
  ...templateFields,
  status: Status,
  modules: Type.Array(
    Type.Object({
      moduleId: Type.Integer(),
      moduleName: Type.String(),
      moduleEnabled: Type.Boolean(),
      connected: Type.Boolean(),
      upstreamId: NullableInt,
      available: Type.Boolean(),
      unavailableReason: NullableString,
      clusterIds: Type.Unsafe<number[] | null>({ type: ['array', 'null'], items: { type: 'integer' } }),
      virtualization: NullableString,
      lastSeenAt: NullableDateTime,
    }),
  ),
  tariffs: Type.Array(
    Type.Object({
      tariffId: Type.Integer(),
      tariffName: Type.String(),
      explicit: NullableBool,
      enabled: Type.Boolean(),
      orderable: Type.Boolean(),
      reason: Reason,
    }),
  ),
});

export const TemplateEditBody = Type.Object(
  { displayName: Type.Optional(DisplayName), sort: Type.Optional(Sort), tags: Type.Optional(Tags) },
  { additionalProperties: false, minProperties: 1 },
);

export const Tariff = Type.Object({
  id: Type.Integer(),
  productTypeId: Type.Integer(),
  name: Type.String(),
  diskMib: NullableInt,
  ramMib: NullableInt,
  moduleIds: Type.Array(Type.Integer()),
  clonedFromId: NullableInt,
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const OrderableTemplate = Type.Object({
  id: Type.Integer(),
  displayName: Type.String(),
  internalName: Type.String(),
  minDiskMib: NullableInt,
  minRamMib: NullableInt,
  sort: Type.Integer(),
  moduleId: Type.Integer(),
  moduleName: Type.String(),
});

export const StorefrontOs = Type.Object({
  id: Type.Integer(),
  displayName: Type.String(),
  internalName: Type.String(),
  minDiskMib: NullableInt,
  minRamMib: NullableInt,
  sort: Type.Integer(),
});

export const ProcessingModule = Type.Object({
  id: Type.Integer(),
  productTypeId: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  url: Type.String(),
  adminEmail: Type.String(),
  clusterId: NullableInt,
  sort: Type.Integer(),
  verifyTls: Type.Boolean(),
  enabled: Type.Boolean(),
  schedule: Type.String(),
  newTemplatePolicy: Type.String(),
  guardMaxDisconnectShare: Type.Number(),
  connectTimeoutMs: Type.Integer(),
  requestTimeoutMs: Type.Integer(),
  maxAnswerBytes: Type.Integer(),
  webhookUrl: NullableString,
  includeNoOs: Type.Boolean(),
  health: Type.Object({
    lastSuccessAt: NullableDateTime,
    lastFailureAt: NullableDateTime,
    lastFailureMessage: NullableString,
    consecutiveFailures: Type.Integer(),
  }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const ConnectionTest = Type.Object({
  ok: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  user: Type.Optional(AnyJson),
  clusters: Type.Optional(Type.Array(AnyJson)),
  clusterFound: Type.Optional(NullableBool),
});

export const AuditRecord = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  before: AnyJson,
  after: AnyJson,
});

export const AdminAccount = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  disabled: Type.Boolean(),
  createdAt: DateTime,
});

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scope: Type.String(),
  createdBy: NullableString,
  createdAt: DateTime,
  lastUsedAt: NullableDateTime,
  revokedAt: NullableDateTime,
});

export const SessionInfo = Type.Object({
  admin: Type.Object({ id: Type.Integer(), email: Type.String() }),
  csrfToken: Type.String(),
  expiresAt: DateTime,
});

/** Standard error answers added to every route's response schema. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
} as const;

type Security = Record<string, string[]>[];
/** Admin routes: an admin-scope token, or a browser session (+ CSRF on writes). */
export const adminSecurity: Security = [{ bearer: [] }, { session: [], csrf: [] }];
/** Storefront routes: any token, or a browser session. */
export const storefrontSecurity: Security = [{ bearer: [] }, { session: [] }];
