import { Type, type TSchema } from 'typebox';
import {
  AnyJson,
  DateTime,
  Id,
  NullableBool,
  NullableDateTime,
  NullableString,
} from '../shared/primitives.schema.js';

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

export const ConnectionTest = Type.Object({
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
