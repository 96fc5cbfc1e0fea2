import { Type, type Static } from 'typebox';
import { DateTime, Email, NullableDateTime, NullableString } from '../shared/primitives.schema.js';

export const AdminPassword = Type.String({ minLength: 8, maxLength: 1000 });
export const TokenScope = Type.Union([Type.Literal('admin'), Type.Literal('storefront')]);
export type TokenScope = Static<typeof TokenScope>;
export const TokenName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._@-]+$' });

export const Login = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type Login = Static<typeof Login>;

export const AdminCreate = Type.Object(
  { email: Email, password: AdminPassword },
  { additionalProperties: false },
);
export const TokenCreate = Type.Object(
  { name: TokenName, scope: TokenScope },
  { additionalProperties: false },
);
export type TokenCreate = Static<typeof TokenCreate>;

/** Who is calling: an admin in a browser session, or an API token. */
export type Principal =
  | { kind: 'session'; adminId: number; email: string; csrfToken: string; sessionHash: string }
  | { kind: 'token'; tokenId: number; name: string; scope: TokenScope };

/** The audit actor of a principal: `admin:<email>` or `token:<name>`. */
export const actorOf = (principal: Principal): string =>
  principal.kind === 'session' ? `admin:${principal.email}` : `token:${principal.name}`;

/** An admin account as the API lists it (never its password hash). */
export const AdminAccount = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  disabled: Type.Boolean(),
  createdAt: DateTime,
});
export type AdminAccount = Static<typeof AdminAccount>;

/** An API token as the API lists it: never its secret (shown once, when it is created). */
export const ApiTokenInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scope: Type.String(),
  createdBy: NullableString,
  createdAt: DateTime,
  lastUsedAt: NullableDateTime,
  revokedAt: NullableDateTime,
});
export type ApiTokenInfo = Static<typeof ApiTokenInfo>;

/** A browser session as login and `GET /auth/session` answer it (the cookie itself is HttpOnly). */
export const SessionInfo = Type.Object({
  admin: Type.Object({ id: Type.Integer(), email: Type.String() }),
  csrfToken: Type.String(),
  expiresAt: DateTime,
});
export type SessionInfo = Static<typeof SessionInfo>;
