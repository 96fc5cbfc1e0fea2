import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { AppError } from '../shared/errors.js';
import {
  dumpFormat,
  dumpMagic,
  endPrefix,
  excludedTables,
  headerPrefix,
  seededTables,
  sqlString,
  type DumpHeader,
} from './backup.format.js';
import {
  quoteIdent,
  selectAppliedMigrations,
  selectRowLiterals,
  selectSequenceStates,
  selectTableShapes,
  type SequenceState,
  type TableShape,
} from './backup.repository.js';

/** Where a dump goes, statement by statement (a file, standard output, a forwarding CLI). */
export interface DumpSink {
  write(text: string): Promise<void>;
}

export interface BackupSummary {
  header: DumpHeader;
  rows: Record<string, number>;
  bytes: number;
}

/** Referenced tables first (foreign keys), by name otherwise: the order rows can be inserted in. */
export function orderByDependencies(tables: TableShape[]): TableShape[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  const place = (table: TableShape, path: Set<string>) => {
    if (placed.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const name of [...table.references].sort()) {
      const referenced = byName.get(name);
      if (referenced) place(referenced, path);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) place(table, new Set());
  return ordered;
}

// Text forms that read back the same on PostgreSQL 15 and PGlite's 18, whatever the server's
// settings: ISO dates in UTC, shortest exact floats, backslashes taken literally.
const textSettings = [
  `set local timezone = 'UTC'`,
  `set local datestyle = 'ISO, YMD'`,
  `set local intervalstyle = 'postgres'`,
  `set local extra_float_digits = 1`,
  `set local standard_conforming_strings = on`,
];

/** The fingerprint of the applied migrations, computed by the database (see migrate.ts). */
const fingerprintSql = `select encode(sha256(convert_to(coalesce(string_agg(hash, ',' order by created_at, id), ''), 'UTF8')), 'hex') as fingerprint from drizzle.__drizzle_migrations`;

/** A statement that makes psql (or a restore) stop unless the database is at the dump's schema and empty. */
function guardStatement(header: DumpHeader, tables: TableShape[]): string {
  const { migrations, fingerprint } = header.schema;
  const holding = tables
    .filter((t) => !seededTables.includes(t.name))
    .map((t) => `exists (select 1 from ${quoteIdent(t.name)})`)
    .join(' or ');
  return (
    `do $$ begin ` +
    `if (select count(*) from drizzle.__drizzle_migrations) <> ${migrations} or (${fingerprintSql}) <> ${sqlString(fingerprint)} then ` +
    `raise exception 'os-catalog restore: the database is not at the schema of this dump (% migrations): migrate an empty database with the same os-catalog release', ${migrations}; end if; ` +
    (holding
      ? `if ${holding} then raise exception 'os-catalog restore: the database is not empty'; end if; `
      : '') +
    `end $$;`
  );
}

async function readHeader(tx: Tx, engine: Database['engine'], tables: TableShape[]): Promise<DumpHeader> {
  const applied = await selectAppliedMigrations(tx);
  if (applied.length === 0) {
    throw new AppError('invalid_input', 'the database has no os-catalog schema (no migrations applied)');
  }
  const [fingerprint] = await queryRows<{ fingerprint: string }>(
    tx,
    sql.raw(fingerprintSql.replace('select encode', 'select encode') + ''),
  );
  const [version] = await queryRows<{ server_version: string }>(tx, sql`show server_version`);
  return {
    format: dumpFormat,
    takenAt: new Date().toISOString(),
    engine,
    serverVersion: version!.server_version,
    schema: { migrations: applied.length, fingerprint: fingerprint!.fingerprint },
    tables: tables.map((t) => t.name),
    excluded: [...excludedTables],
  };
}

/** Sets every sequence where it stood, so that new rows get fresh ids (one silent statement). */
function sequencesStatement(states: SequenceState[]): string {
  const calls = states
    .filter((state) => !excludedTables.includes(state.table))
    .map(
      (state) =>
        `perform setval(pg_get_serial_sequence(${sqlString(quoteIdent(state.table))}, ${sqlString(state.column)}), ${state.lastValue}, ${state.isCalled});`,
    );
  return `do $$ begin ${calls.join(' ')} end $$;`;
}

const insertPrefix = (table: TableShape) =>
  `insert into ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) overriding system value values `;

const maxStatementBytes = 4_000_000;

/** Writes the rows of one table as multi-row inserts of up to ~4 MB each; returns the row count. */
async function writeRows(tx: Tx, table: TableShape, out: (text: string) => Promise<void>): Promise<number> {
  let count = 0;
  let values: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (values.length === 0) return;
    await out(insertPrefix(table) + values.join(', ') + ';\n');
    values = [];
    bytes = 0;
  };
  for await (const lines of selectRowLiterals(tx, table)) {
    for (const line of lines) {
      if (bytes + line.length > maxStatementBytes) await flush();
      values.push(line);
      bytes += line.length;
      count += 1;
    }
  }
  await flush();
  return count;
}

/**
 * Writes a consistent dump of the whole database to `sink`: one read-only REPEATABLE READ
 * transaction (on PGlite it also holds the database's queue, so the server's other queries wait
 * for it). Rows come from the database's own catalog and text forms, so the same code dumps
 * both engines and the dump loads into either.
 */
export async function writeBackup(database: Database, sink: DumpSink): Promise<BackupSummary> {
  let bytes = 0;
  const out = async (text: string) => {
    bytes += Buffer.byteLength(text);
    await sink.write(text);
  };
  return database.db.transaction(
    async (tx) => {
      for (const setting of textSettings) await tx.execute(sql.raw(setting));
      const all = orderByDependencies(await selectTableShapes(tx));
      const tables = all.filter((t) => !excludedTables.includes(t.name));
      const header = await readHeader(tx, database.engine, tables);
      await out(`${dumpMagic}\n${headerPrefix}${JSON.stringify(header)}\n`);
      await out(
        `-- Load with: os-catalog restore FILE (or psql -v ON_ERROR_STOP=1 -1 -f FILE) into an empty, migrated database.\n`,
      );
      await out('begin;\n');
      for (const setting of textSettings) await out(setting + ';\n');
      // The restored catalog revision is the dumped one: the triggers must not bump it.
      await out(`set local oscat.catalog_revision = 'caller';\n`);
      await out(guardStatement(header, all) + '\n');
      for (const table of [...tables].reverse()) await out(`delete from ${quoteIdent(table.name)};\n`);
      const rows: Record<string, number> = {};
      for (const table of tables) rows[table.name] = await writeRows(tx, table, out);
      await out(sequencesStatement(await selectSequenceStates(tx)) + '\n');
      await out('commit;\n');
      await out(`${endPrefix}${JSON.stringify({ rows })}\n`);
      return { header, rows, bytes };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
