import { AppError } from '../../shared/errors.js';

/**
 * Switches for the ways real installations answer differently (docs/vmmanager6.md says which
 * installation or client each comes from). They change how answers look, never the catalog.
 */
export interface SimModes {
  /** List answers carry `size` (default true); some installations send no `size`. */
  listSize: boolean;
}

export const defaultSimModes = (): SimModes => ({ listSize: true });

type Checker = (value: unknown) => boolean;
const isBoolean: Checker = (value) => typeof value === 'boolean';

const checkers: { [K in keyof SimModes]: { check: Checker; expected: string } } = {
  listSize: { check: isBoolean, expected: 'true or false' },
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
