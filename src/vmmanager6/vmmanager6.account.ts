import { Type, type Static } from 'typebox';
import { parseWith } from '../shared/validate.js';

const IdSchema = Type.Union([Type.Integer(), Type.String()]);
// Roles come as an array of strings or as one string such as "[@admin]" (DCImanager's examples).
const RolesSchema = Type.Union([Type.Array(Type.Unknown()), Type.String(), Type.Null()]);

/** `/auth/v4/whoami`, read leniently: nothing is required but an object (no public client reads it). */
export const WhoamiAnswerSchema = Type.Object({
  id: Type.Optional(Type.Union([IdSchema, Type.Null()])),
  email: Type.Optional(Type.Unknown()),
  roles: Type.Optional(RolesSchema),
});

/** `/vm/v3/account?where=(email+EQ+'…')`: ISPsystem's WHMCS module reads `list[0].roles`. */
export const AccountListAnswerSchema = Type.Object({
  list: Type.Array(
    Type.Object({
      id: Type.Optional(Type.Union([IdSchema, Type.Null()])),
      email: Type.Optional(Type.Unknown()),
      roles: Type.Optional(RolesSchema),
    }),
  ),
});

type RolesValue = Static<typeof RolesSchema> | undefined;

/** An account as VMmanager describes it; `roles` null when the answer did not say. */
export interface VmAccount {
  id: string | null;
  email: string | null;
  roles: string[] | null;
}

/**
 * The roles of an answer: an array of strings, or a string such as `"[@admin]"` or
 * `"[@admin, @user]"`; null when there are none to read (absent, null, empty, other types).
 */
export function readRoles(value: RolesValue): string[] | null {
  const roles = Array.isArray(value)
    ? value.filter((role): role is string => typeof role === 'string').map((role) => role.trim())
    : typeof value === 'string'
      ? value.split(/[[\],\s]+/)
      : [];
  const known = roles.filter((role) => role !== '');
  return known.length > 0 ? known : null;
}

const accountOf = (item: { id?: unknown; email?: unknown; roles?: RolesValue }): VmAccount => ({
  id: typeof item.id === 'number' || typeof item.id === 'string' ? String(item.id) : null,
  email: typeof item.email === 'string' && item.email !== '' ? item.email : null,
  roles: readRoles(item.roles),
});

/** Reads a whoami answer; only an answer that is not an object fails (`upstream_invalid`). */
export function parseWhoami(body: unknown): VmAccount {
  return accountOf(parseWith(WhoamiAnswerSchema, body, { code: 'upstream_invalid', what: 'whoami answer' }));
}

/** Reads an account list answer: its first item, or null when the list is empty. */
export function parseAccountList(body: unknown): VmAccount | null {
  const answer = parseWith(AccountListAnswerSchema, body, {
    code: 'upstream_invalid',
    what: '/vm/v3/account answer',
  });
  return answer.list[0] ? accountOf(answer.list[0]) : null;
}
