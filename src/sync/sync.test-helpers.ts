import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { App } from '../app.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { createSyncApp } from './sync.test-kit.js';

export interface SyncTestbed {
  database: TestDatabase;
  sim: VmmanagerSimulator;
  app: App;
}

/**
 * A clean database, a VMmanager simulator and an app on both, fresh for each test (or once for
 * the file with `perFile`), closed after it. Tests may replace `app` or `database`.
 */
export function useSyncTestbed(options: { perFile?: boolean } = {}): SyncTestbed {
  const bed = {} as SyncTestbed;
  (options.perFile ? beforeAll : beforeEach)(async () => {
    bed.database = await createTestDatabase();
    bed.sim = await startVmmanagerSimulator();
    bed.app = createSyncApp(bed.database);
  });
  (options.perFile ? afterAll : afterEach)(async () => {
    await bed.app?.sync.close();
    await bed.sim?.close();
    await bed.database?.close();
  });
  return bed;
}
