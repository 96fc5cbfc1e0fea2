import type { Command } from 'commander';
import { AppError, isAppError } from '../shared/errors.js';
import type { SchemaIssue } from '../shared/validate.js';

// What a schema pattern asks for, in words; the pattern stays in `details` for `--json` readers.
const patternWords: Record<string, string> = {
  '^https?://[^\\s/?#]+[^\\s]*$': 'must be an http:// or https:// URL with a host and no spaces',
  '^[^\\s]+$': 'must not contain spaces',
  '\\S': 'must not be blank',
  '^\\S(.*\\S)?$': 'must not be blank nor start or end with a space',
  '^[^\\s@]+@[^\\s@]+$': 'must be an email address (name@host)',
  '^[A-Za-z0-9._@-]+$': 'must contain only letters, digits and . _ @ -',
};

/** A schema message made readable where cheap: patterns in words, one character as not empty. */
export function readableSchemaMessage(message: string): string {
  const pattern = /^must match pattern "(.*)"$/.exec(message)?.[1];
  if (pattern !== undefined) return patternWords[pattern] ?? message;
  return message === 'must not have fewer than 1 characters' ? 'must not be empty' : message;
}

const isIssue = (value: unknown): value is SchemaIssue =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SchemaIssue).path === 'string' &&
  typeof (value as SchemaIssue).message === 'string';

/** The long option of `command` whose value lands in the camelCase `field` (diskMib → --disk-mib). */
const flagFor = (command: Command, field: string): string | undefined =>
  command.options.find((option) => option.long !== undefined && option.attributeName() === field)?.long;

/**
 * An `invalid_input` from a schema (`parseWith`: message `<what>.<path> <reason>`) about a field
 * the user gave as an option of `command`, reworded to name that option: `--url must be …`.
 * Anything else (hand-written reasons, fields without an option) is returned as it is.
 */
export function nameFlagInError(error: unknown, command: Command | undefined): unknown {
  if (!command || !isAppError(error) || error.code !== 'invalid_input') return error;
  const { field, issues } = error.details;
  const issue: unknown = Array.isArray(issues) ? (issues as unknown[])[0] : undefined;
  if (typeof field !== 'string' || !isIssue(issue) || issue.path !== field) return error;
  if (!error.message.endsWith(`.${field} ${issue.message}`)) return error;
  const [head = '', ...rest] = field.split('.');
  const flag = flagFor(command, head);
  if (flag === undefined) return error;
  const where = rest.length > 0 ? `${flag} (item ${rest.join('.')})` : flag;
  return new AppError(error.code, `${where} ${readableSchemaMessage(issue.message)}`, {
    ...error.details,
    field: flag,
  });
}
