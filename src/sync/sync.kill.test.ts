import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openStorage, type OpenedStorage } from '../db/open.js';
import { queryRows } from '../db/query.js';
import { dumpCatalog } from '../test/test-app.js';
import { childEnvironment, killWhenPrinted } from '../test/kill-child.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { addSimModule, fastClientFactory } from './sync.test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const child = fileURLToPath(new URL('./sync-kill.child.ts', import.meta.url));

describe('a sync killed with SIGKILL in the middle of applying', () => {
  it(
    'leaves the catalog as it was before, and the next sync applies everything',
    { timeout: 90_000 },
    async () => {
      const sim = await startVmmanagerSimulator();
      cleanups.push(() => sim.close());
      const env = await childEnvironment('oscat-kill-', 'kill-test-secret-key-0123456789', cleanups);
      const open = async (): Promise<OpenedStorage> => openStorage(loadConfig(env), 'sync-kill-test');
      const appOf = (storage: OpenedStorage) =>
        createApp({
          database: storage.database,
          secrets: storage.secrets,
          vmmanagerClientFactory: fastClientFactory,
        });

      let storage = await open();
      let app = appOf(storage);
      const module = await addSimModule(app, sim, 'msk', { clusterId: 1 });
      await app.tariffs.createTariff({ name: 'VPS', moduleIds: [module.id] }, 'test');
      expect((await app.sync.runSync(module.id, { trigger: 'initial' })).outcome).toBe('applied');
      const before = await dumpCatalog(app.db);
      const runsBefore = await app.sync.listSyncRuns({ moduleId: module.id });
      await storage.close();

      for (const id of [9001, 9002, 9003]) sim.state.addTemplate({ id, name: `New ${id}`, clusterIds: [1] });
      sim.state.removeTemplate(8206);
      sim.state.setHddMibRequired(8201, 20480);
      // The child stands inside the apply transaction when it prints PAUSED.
      const { output } = await killWhenPrinted(child, { ...env, MODULE_ID: String(module.id) }, /PAUSED/);
      expect(output).not.toContain('FINISHED');

      storage = await open();
      cleanups.push(() => storage.close());
      app = appOf(storage);
      expect(await dumpCatalog(app.db)).toBe(before);
      expect(await app.sync.listSyncRuns({ moduleId: module.id })).toEqual(runsBefore);
      const added = await queryRows<{ n: number }>(
        app.db,
        sql`select count(*)::int as n from parameter_values where internal_name like 'ISPsystem__New %'`,
      );
      expect(added[0]?.n).toBe(0);

      const run = await app.sync.runSync(module.id, { trigger: 'manual' });
      expect(run).toMatchObject({ outcome: 'applied', counts: { added: 3, disconnected: 1, updated: 1 } });
      expect(await dumpCatalog(app.db)).not.toBe(before);
    },
  );
});
