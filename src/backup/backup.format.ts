import { Type, type Static } from 'typebox';
import { AppError } from '../shared/errors.js';
import { listIssues } from '../shared/validate.js';

/**
 * The dump format: plain SQL, one statement per line (values with line breaks are written as
 * `E'…\n…'`), so that `psql -1 -f` loads it as well as `os-catalog restore`, which streams it
 * line by line. Line 1 names the format, line 2 is the header (JSON in a comment), the last line
 * is the end marker: a dump without it is incomplete and is refused.
 */
export const dumpMagic = '-- os-catalog dump';
export const headerPrefix = '-- header: ';
export const endPrefix = '-- end: ';
export const dumpFormat = 1;

export const DumpHeader = Type.Object({
  format: Type.Integer(),
  takenAt: Type.String(),
  engine: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  serverVersion: Type.String(),
  /** The schema the rows belong to: how many migrations, and the fingerprint of their hashes. */
  schema: Type.Object({ migrations: Type.Integer({ minimum: 1 }), fingerprint: Type.String() }),
  tables: Type.Array(Type.String()),
  excluded: Type.Array(Type.String()),
});
export type DumpHeader = Static<typeof DumpHeader>;

export const DumpEnd = Type.Object({ rows: Type.Record(Type.String(), Type.Integer()) });
export type DumpEnd = Static<typeof DumpEnd>;

/**
 * Tables that are not backed up: sign-in sessions (everyone signs in again after a restore),
 * claims of scheduled sync and job slots (bookkeeping of runs that happened; only future slots
 * matter) and what the change feed has yet to look at (a restore's own inserts mark every
 * restored tariff, so the first change after it looks at all of them).
 */
export const excludedTables: readonly string[] = [
  'admin_sessions',
  'sync_slots',
  'job_slots',
  'webhook_list_touches',
];

/**
 * Tables the migrations fill (the product type VPS, its Operating system parameter, the catalog
 * revision row): an empty database has these rows, and a restore replaces them.
 */
export const seededTables: readonly string[] = ['product_types', 'parameters', 'catalog_revision'];

export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const notADump = (name: string, why: string) =>
  new AppError('invalid_input', `${name} is not an os-catalog dump (${why})`, { field: 'file' });

/** Reads the header from a dump's first two lines; anything else is "not an os-catalog dump". */
export function parseDumpHeader(
  name: string,
  first: string | undefined,
  second: string | undefined,
): DumpHeader {
  if (first !== dumpMagic) throw notADump(name, `its first line is not "${dumpMagic}"`);
  if (!second?.startsWith(headerPrefix)) throw notADump(name, 'it has no header line');
  let header: unknown;
  try {
    header = JSON.parse(second.slice(headerPrefix.length));
  } catch {
    throw notADump(name, 'its header is not JSON');
  }
  const issues = listIssues(DumpHeader, header);
  if (issues.length > 0) throw notADump(name, `header ${issues[0]!.path} ${issues[0]!.message}`.trim());
  const parsed = header as DumpHeader;
  if (parsed.format !== dumpFormat) {
    throw new AppError(
      'invalid_input',
      `${name} is in dump format ${parsed.format}; this os-catalog reads format ${dumpFormat}`,
      { field: 'file' },
    );
  }
  return parsed;
}
