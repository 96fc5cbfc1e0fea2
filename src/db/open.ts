import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPglite, openPostgres, type Database } from './database.js';
import { acquireDataDirLock, type DataDirLock } from './lock-file.js';
import { migratePgliteDb, migratePostgres } from './migrate.js';
import { createSecretBox, loadSecretKey, type SecretBox } from '../shared/secrets.js';

/** The configured database, opened (and locked, on the embedded engine) but not yet migrated. */
export interface OpenedDatabase {
  database: Database;
  /** Held only on the embedded engine: the exclusive lock of the data directory. */
  lock: DataDirLock | undefined;
  /** Applies the migrations of `folder` (default: all of the code's) that are not applied yet. */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenedStorage extends OpenedDatabase {
  secrets: SecretBox;
}

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite in the data
 * directory under an exclusive lock) without migrating it: backup reads a database as it is,
 * restore brings it to the dump's schema first.
 */
export async function openDatabase(config: Config, command: string): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const database = await openPostgres(url);
    return {
      database,
      lock: undefined,
      migrate: (folder) => migratePostgres(url, folder),
      close: () => database.close(),
    };
  }
  const lock = acquireDataDirLock(config.dataDir, command);
  try {
    const database = await openPglite({ dataDir: join(config.dataDir, 'pglite') });
    return {
      database,
      lock,
      migrate: (folder) => migratePgliteDb(database.pglite, folder),
      async close() {
        await database.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The secret key file of a data directory (generated on first start when OSCAT_SECRET_KEY is unset). */
export const secretKeyFileOf = (config: Config): string => join(config.dataDir, 'secret.key');

/**
 * Opens the configured database, applies pending migrations and loads the secret key: what every
 * command but backup and restore runs on.
 */
export async function openStorage(config: Config, command: string): Promise<OpenedStorage> {
  const secrets = createSecretBox(
    loadSecretKey({ secret: config.secretKey, keyFile: secretKeyFileOf(config) }),
  );
  if (config.databaseUrl) await migratePostgres(config.databaseUrl);
  const opened = await openDatabase(config, command);
  try {
    if (!config.databaseUrl) await opened.migrate();
  } catch (error) {
    await opened.close();
    throw error;
  }
  return { ...opened, secrets };
}
