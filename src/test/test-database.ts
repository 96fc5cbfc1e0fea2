import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../db/database.js';
import { migratePgliteDb, migratePostgres } from '../db/migrate.js';
import { withDatabase } from './database-url.js';

export interface TestDatabase extends Database {
  /** A URL other processes can open (PostgreSQL only). */
  readonly url: string | undefined;
  /** Applies the migrations of `folder` (default: all) that are not applied yet. */
  migrate(folder?: string): Promise<void>;
}

async function createPostgresDatabase(
  serverUrl: string,
  template: string | undefined,
): Promise<TestDatabase> {
  const name = `oscat_t_${inject('pgRunId')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Copying a template fails while another copy of it runs: serialise across test workers.
    await admin.query('select pg_advisory_lock(727275)');
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.query('select pg_advisory_unlock(727275)').catch(() => undefined);
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const database = await openPostgres(url, { max: 5 });
  return {
    ...database,
    url,
    migrate: (folder) => migratePostgres(url, folder),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await dropper.end();
    },
  };
}

/**
 * A clean, migrated database for one test file: PGlite by default, PostgreSQL when
 * DATABASE_URL is set (then a run fails, never skips, when the server does not answer).
 * `{ migrated: false }` gives a new database with no schema at all.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createPostgresDatabase(serverUrl, migrated ? inject('pgTemplate') : undefined);
  const database = await openPglite(
    migrated ? { loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot'))]) } : {},
  );
  return { ...database, url: undefined, migrate: (folder) => migratePgliteDb(database.pglite, folder) };
}
