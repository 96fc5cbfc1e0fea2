import { Type, type Static } from 'typebox';
import { Email } from '../shared/primitives.schema.js';

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

export interface AdminAccount {
  id: number;
  email: string;
  disabled: boolean;
  createdAt: Date;
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  scope: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
