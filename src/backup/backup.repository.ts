import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/database.js';
import { queryRows } from '../db/query.js';

/** A table of the database as its catalog describes it (not as the code's schema does). */
export interface TableShape {
  name: string;
  /** Insertable columns (not generated) in their order. */
  columns: string[];
  primaryKey: string[];
  /** Tables this one has foreign keys to. */
  references: string[];
}

/** A sequence behind a serial (or identity) column, and where it stands. */
export interface SequenceState {
  table: string;
  column: string;
  lastValue: string;
  isCalled: boolean;
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The tables of the current schema (`public`), from the catalog; the same query on both engines. */
export async function selectTableShapes(db: DbOrTx): Promise<TableShape[]> {
  const rows = await queryRows<{ shapes: string }>(
    db,
    sql`select coalesce(json_agg(json_build_object(
          'name', c.relname,
          'columns', (select json_agg(a.attname order by a.attnum) from pg_attribute a
                      where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''),
          'primaryKey', coalesce((select json_agg(a.attname order by k.ord)
                      from pg_constraint p
                      cross join unnest(p.conkey) with ordinality as k(attnum, ord)
                      join pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
                      where p.conrelid = c.oid and p.contype = 'p'), '[]'),
          'references', coalesce((select json_agg(distinct r.relname)
                      from pg_constraint f join pg_class r on r.oid = f.confrelid
                      where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid), '[]')
        ) order by c.relname), '[]')::text as shapes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p')`,
  );
  return JSON.parse(rows[0]!.shapes) as TableShape[];
}

/** Where every sequence owned by a column of the current schema stands. */
export async function selectSequenceStates(tx: Tx): Promise<SequenceState[]> {
  const owned = await queryRows<{ table: string; column: string; sequence: string }>(
    tx,
    sql`select c.relname as "table", a.attname as "column",
          pg_get_serial_sequence(quote_ident(c.relname), a.attname) as "sequence"
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = current_schema() and c.relkind in ('r', 'p')
          and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null
        order by 1, 2`,
  );
  const states: SequenceState[] = [];
  for (const row of owned) {
    const [state] = await queryRows<{ last_value: string; is_called: boolean }>(
      tx,
      sql.raw(`select last_value::text as last_value, is_called from ${row.sequence}`),
    );
    states.push({
      table: row.table,
      column: row.column,
      lastValue: state!.last_value,
      isCalled: state!.is_called,
    });
  }
  return states;
}

/** The migrations drizzle recorded, oldest first; empty when none ran (a new database). */
export async function selectAppliedMigrations(db: DbOrTx): Promise<{ hash: string; createdAt: string }[]> {
  const [exists] = await queryRows<{ exists: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!exists?.exists) return [];
  return queryRows(
    db,
    sql`select hash, created_at::text as "createdAt" from drizzle.__drizzle_migrations order by created_at, id`,
  );
}

/**
 * A column as an SQL literal that is one line: `NULL`, `'text'`, or `E'…'` with `\n`, `\r` and
 * backslashes escaped. Every value goes through its text form, which reads back into its type.
 */
const literalOf = (column: string): string => {
  const text = `${quoteIdent(column)}::text`;
  return (
    `case when ${text} is null then 'NULL' ` +
    `when strpos(${text}, chr(10)) = 0 and strpos(${text}, chr(13)) = 0 then quote_literal(${text}) ` +
    `else 'E''' || replace(replace(replace(replace(${text}, '\\', '\\\\'), '''', ''''''), chr(10), '\\n'), chr(13), '\\r') || '''' end`
  );
};

const cursorName = 'oscat_backup_rows';

/**
 * Reads every row of `table` in primary-key order as `(…)` value lists, through a cursor in
 * batches that shrink when rows are large (a first sync's diff is over a megabyte).
 */
export async function* selectRowLiterals(tx: Tx, table: TableShape): AsyncGenerator<string[]> {
  const row = table.columns.map(literalOf).join(` || ',' || `);
  const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(quoteIdent).join(', ');
  await tx.execute(
    sql.raw(
      `declare ${cursorName} no scroll cursor for select '(' || ${row} || ')' as line from ${quoteIdent(table.name)} order by ${order}`,
    ),
  );
  let batch = 1000;
  for (;;) {
    const rows = await queryRows<{ line: string }>(tx, sql.raw(`fetch forward ${batch} from ${cursorName}`));
    if (rows.length === 0) break;
    const lines = rows.map((r) => r.line);
    yield lines;
    const bytes = lines.reduce((sum, line) => sum + line.length, 0);
    batch = Math.max(1, Math.min(1000, Math.floor((rows.length * 4_000_000) / Math.max(bytes, 1))));
  }
  await tx.execute(sql.raw(`close ${cursorName}`));
}

/** How many rows each of `tables` holds. */
export async function countRows(db: DbOrTx, tables: string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const selects = tables.map(
    (t) => `select '${t.replaceAll("'", "''")}' as name, count(*)::int as rows from ${quoteIdent(t)}`,
  );
  const rows = await queryRows<{ name: string; rows: number }>(db, sql.raw(selects.join(' union all ')));
  return Object.fromEntries(rows.map((r) => [r.name, r.rows]));
}
