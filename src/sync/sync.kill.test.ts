import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openStorage, type OpenedStorage } from '../db/open.js';
import { queryRows } from '../db/query.js';
import { dumpCatalog } from '../test/test-app.js';
import { createTestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { addSimModule, fastClientFactory } from './sync.test-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const child = fileURLToPath(new URL('./sync-kill.child.ts', import.meta.url));

/** Starts the child, waits until it stands inside the apply transaction, and SIGKILLs it there. */
async function killInsideApply(env: NodeJS.ProcessEnv): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('PAUSED')) resolve();
    });
    proc.on('exit', () => reject(new Error(`the child exited before pausing:\n${output}`)));
  });
  proc.kill('SIGKILL');
  await exited;
  return output;
}

async function environment(): Promise<NodeJS.ProcessEnv> {
  const base = {
    PATH: process.env.PATH,
    OSCAT_SECRET_KEY: 'kill-test-secret-key-0123456789',
    OSCAT_LOG_LEVEL: 'silent',
  };
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    return { ...base, DATABASE_URL: database.url };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'oscat-kill-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return { ...base, OSCAT_DATA_DIR: dataDir };
}

describe('a sync killed with SIGKILL in the middle of applying', () => {
  it(
    'leaves the catalog as it was before, and the next sync applies everything',
    { timeout: 90_000 },
    async () => {
      const sim = await startVmmanagerSimulator();
      cleanups.push(() => sim.close());
      const env = await environment();
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
      const output = await killInsideApply({ ...env, MODULE_ID: String(module.id) });
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
