import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { AppError, invalidInput } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { Type } from 'typebox';
import { nameFlagInError } from './flag-errors.js';

const command = new Command('create').option('--name <name>').option('--disk-mib <n>');
const schema = Type.Object({
  name: Type.String({ minLength: 1 }),
  diskMib: Type.Integer({ maximum: 10 }),
  ramMib: Type.Integer({ maximum: 10 }),
});
const failure = (value: unknown): unknown => {
  try {
    parseWith(schema, value, { what: 'tariff' });
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};
const message = (error: unknown) => (error as AppError).message;

describe('nameFlagInError', () => {
  it('names the long option of a camelCase field, keeping the details', () => {
    const error = nameFlagInError(failure({ name: 'a', diskMib: 11, ramMib: 1 }), command) as AppError;
    expect(error.message).toBe('--disk-mib must be <= 10');
    expect(error.details).toMatchObject({ field: '--disk-mib', issues: [{ path: 'diskMib' }] });
  });

  it('leaves fields without an option, hand-written reasons and other codes as they are', () => {
    const noFlag = failure({ name: 'a', diskMib: 1, ramMib: 11 });
    expect(message(nameFlagInError(noFlag, command))).toBe('tariff.ramMib must be <= 10');
    const handWritten = invalidInput('a tariff cannot be its own module', { field: 'name' });
    expect(nameFlagInError(handWritten, command)).toBe(handWritten);
    const conflict = new AppError('conflict', 'tariff.name exists', { field: 'name', issues: [] });
    expect(nameFlagInError(conflict, command)).toBe(conflict);
    expect(message(nameFlagInError(failure({ name: '', diskMib: 1, ramMib: 1 }), undefined))).toBe(
      'tariff.name must not have fewer than 1 characters',
    );
  });
});
