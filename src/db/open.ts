import { join } from 'node:path';
import type { Config } from '../config.js';
import { openPglite, openPostgres, type Database } from './database.js';
import { acquireDataDirLock, type DataDirLock } from './lock-file.js';
import { migratePgliteDb, migratePostgres } from './migrate.js';
import { createSecretBox, loadSecretKey, type SecretBox } from '../shared/secrets.js';

export interface OpenedStorage {
  database: Database;
  secrets: SecretBox;
  /** Held only on the embedded engine: the exclusive lock of the data directory. */
  lock: DataDirLock | undefined;
  close(): Promise<void>;
}

/**
 * Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite in the data
 * directory under an exclusive lock), applies pending migrations and loads the secret key.
 */
export async function openStorage(config: Config, command: string): Promise<OpenedStorage> {
  const secrets = createSecretBox(
    loadSecretKey({ secret: config.secretKey, keyFile: join(config.dataDir, 'secret.key') }),
  );
  if (config.databaseUrl) {
    await migratePostgres(config.databaseUrl);
    const database = await openPostgres(config.databaseUrl);
    return { database, secrets, lock: undefined, close: () => database.close() };
  }
  const lock = acquireDataDirLock(config.dataDir, command);
  try {
    const database = await openPglite({ dataDir: join(config.dataDir, 'pglite') });
    await migratePgliteDb(database.pglite);
    return {
      database,
      secrets,
      lock,
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
