import { randomBytes } from 'node:crypto';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { openPglite, openPostgres, type Database, type Engine } from '../src/db/database.js';
import { migratePgliteDb, migratePostgres } from '../src/db/migrate.js';
import { withDatabase } from '../src/test/database-url.js';

/** Counts every statement sent to the database driver (begin/commit and locks included). */
export const statementCounter = { count: 0 };

let pgPatched = false;
function countPostgresStatements(): void {
  if (pgPatched) return;
  pgPatched = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply below
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statementCounter.count += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
}

function countPgliteStatements(pglite: PGlite): void {
  const wrapTx = (tx: Transaction): Transaction => {
    const query = tx.query.bind(tx);
    const exec = tx.exec.bind(tx);
    tx.query = ((...args: Parameters<typeof query>) => {
      statementCounter.count += 1;
      return query(...args);
    }) as typeof tx.query;
    tx.exec = (...args: Parameters<typeof exec>) => {
      statementCounter.count += 1;
      return exec(...args);
    };
    return tx;
  };
  const query = pglite.query.bind(pglite);
  const exec = pglite.exec.bind(pglite);
  const transaction = pglite.transaction.bind(pglite);
  pglite.query = ((...args: Parameters<typeof query>) => {
    statementCounter.count += 1;
    return query(...args);
  }) as typeof pglite.query;
  pglite.exec = (...args: Parameters<typeof exec>) => {
    statementCounter.count += 1;
    return exec(...args);
  };
  pglite.transaction = <T>(fn: (tx: Transaction) => Promise<T>) => {
    statementCounter.count += 2; // begin, commit
    return transaction((tx) => fn(wrapTx(tx)));
  };
}

/** A fresh migrated database of one engine, with statement counting, and how to drop it. */
export interface BenchDatabase {
  database: Database;
  dispose(): Promise<void>;
}

export async function openBenchDatabase(
  engine: Engine,
  serverUrl: string | undefined,
): Promise<BenchDatabase> {
  if (engine === 'pglite') {
    const database = await openPglite();
    await migratePgliteDb(database.pglite);
    countPgliteStatements(database.pglite);
    return { database, dispose: () => database.close() };
  }
  countPostgresStatements();
  const name = `oscat_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = withDatabase(serverUrl!, name);
  await migratePostgres(url);
  const database = await openPostgres(url, { max: 5 });
  return {
    database,
    async dispose() {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The PostgreSQL server to use: PG_TEST_URL, DATABASE_URL or the local test server; undefined if none answers. */
export async function findPostgres(): Promise<{ url?: string; note: string }> {
  const url =
    process.env.PG_TEST_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return { url, note: `PostgreSQL at ${new URL(url).host}` };
  } catch (error) {
    return {
      note: `PostgreSQL skipped: ${url.replace(/\/\/[^@]*@/, '//')} did not answer (${(error as Error).message})`,
    };
  }
}
