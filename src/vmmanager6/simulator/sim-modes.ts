import { AppError } from '../../shared/errors.js';

/**
 * Switches for the ways real installations answer differently (docs/vmmanager6.md says which
 * installation or client each comes from). They change how answers look, never the catalog.
 */
export interface SimModes {
  /** List answers carry `size` (default true); some installations send no `size`. */
  listSize: boolean;
  /** whoami carries `email` (default true). */
  whoamiEmail: boolean;
  /** whoami carries `roles` (default true). */
  whoamiRoles: boolean;
  /** How whoami and the account list send `roles`: `array` (default) or `string` (`"[@admin]"`). */
  rolesAs: 'array' | 'string';
  /** `GET /vm/v3/account` exists (default true); false: it answers 404. */
  accountList: boolean;
  /** The login answer says `confirmed: true` (default); false: `confirmed: false`. */
  loginConfirmed: boolean;
  /** Every API path answers 301 to the same address on https (default false), as an http→https proxy does. */
  redirectToHttps: boolean;
}

export const defaultSimModes = (): SimModes => ({
  listSize: true,
  whoamiEmail: true,
  whoamiRoles: true,
  rolesAs: 'array',
  accountList: true,
  loginConfirmed: true,
  redirectToHttps: false,
});

type Checker = (value: unknown) => boolean;
const isBoolean: Checker = (value) => typeof value === 'boolean';
const flag = { check: isBoolean, expected: 'true or false' };

const checkers: { [K in keyof SimModes]: { check: Checker; expected: string } } = {
  listSize: flag,
  whoamiEmail: flag,
  whoamiRoles: flag,
  rolesAs: { check: (value) => value === 'array' || value === 'string', expected: 'array or string' },
  accountList: flag,
  loginConfirmed: flag,
  redirectToHttps: flag,
};

/** Checks a partial change of the modes (the control API's `PATCH /_sim/modes`). */
export function checkModesPatch(value: unknown): Partial<SimModes> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new AppError('invalid_input', 'modes must be an object', {});
  for (const [key, field] of Object.entries(value)) {
    const checker = checkers[key as keyof SimModes];
    if (!checker)
      throw new AppError(
        'invalid_input',
        `unknown mode ${key}; modes are ${Object.keys(checkers).join(', ')}`,
        {},
      );
    if (!checker.check(field))
      throw new AppError('invalid_input', `mode ${key} must be ${checker.expected}`, {});
  }
  return value;
}
