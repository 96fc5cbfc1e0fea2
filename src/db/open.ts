import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPglite, openPostgres, type Database } from './database.js';
import { acquireDataDirLock, type DataDirLock } from './lock-file.js';
import { migratePgliteDb, migratePostgres } from './migrate.js';
import { createSecretBox, loadSecretKey, type SecretBox } from '../shared/secrets.js';
import type { Logger } from '../shared/logger.js';
import { makePrivate } from './private-files.js';

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

export interface OpenOptions {
  /** Where to say that an existing data directory's modes were repaired. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite in the data
 * directory under an exclusive lock) without migrating it: backup reads a database as it is,
 * restore brings it to the dump's schema first. The data directory and its files are kept
 * private to this user (0700 / 0600): repaired before opening (with a log line), and again once
 * PGlite has written its files (it creates them 0666) and at close.
 */
export async function openDatabase(
  config: Config,
  command: string,
  options: OpenOptions = {},
): Promise<OpenedDatabase> {
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
    const repaired = makePrivate(config.dataDir);
    if (repaired > 0) {
      options.logger?.warn(
        { dataDir: config.dataDir, entries: repaired },
        `made ${repaired} files and directories in the data directory private to this user (others could read or write them)`,
      );
    }
    const database = await openPglite({ dataDir: join(config.dataDir, 'pglite') });
    makePrivate(config.dataDir);
    return {
      database,
      lock,
      migrate: async (folder) => {
        await migratePgliteDb(database.pglite, folder);
        makePrivate(config.dataDir);
      },
      async close() {
        await database.close();
        makePrivate(config.dataDir);
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
export async function openStorage(
  config: Config,
  command: string,
  options: OpenOptions = {},
): Promise<OpenedStorage> {
  const secrets = createSecretBox(
    loadSecretKey({ secret: config.secretKey, keyFile: secretKeyFileOf(config) }),
  );
  if (config.databaseUrl) await migratePostgres(config.databaseUrl);
  const opened = await openDatabase(config, command, options);
  try {
    if (!config.databaseUrl) await opened.migrate();
  } catch (error) {
    await opened.close();
    throw error;
  }
  return { ...opened, secrets };
}
