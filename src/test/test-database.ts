import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../db/database.js';
import { withDatabase } from './database-url.js';

export interface TestDatabase extends Database {
  /** A URL other processes can open (PostgreSQL only). */
  readonly url: string | undefined;
}

/**
 * A clean, migrated database for one test file: PGlite by default, PostgreSQL when
 * DATABASE_URL is set (then a run fails, never skips, when the server does not answer).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `oscat_t_${inject('pgRunId')}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      // Copying a template fails while another copy of it runs: serialise across test workers.
      await admin.query('select pg_advisory_lock(727275)');
      await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
    } finally {
      await admin.query('select pg_advisory_unlock(727275)').catch(() => undefined);
      await admin.end();
    }
    const url = withDatabase(serverUrl, name);
    const database = await openPostgres(url, { max: 5 });
    return {
      ...database,
      url,
      async close() {
        await database.close();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await dropper.end();
      },
    };
  }
  const snapshot = new Blob([readFileSync(inject('pgliteSnapshot'))]);
  const database = await openPglite({ loadDataDir: snapshot });
  return { ...database, url: undefined };
}
