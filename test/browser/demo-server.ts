import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from '../../src/test/test-database.js';
import {
  startVmmanagerSimulator,
  type VmmanagerSimulator,
} from '../../src/vmmanager6/simulator/simulator.js';

export interface DemoServer {
  url: string;
  service: RunningService;
  simulator: VmmanagerSimulator;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

/**
 * The real service on a fresh data directory (or a fresh PostgreSQL database when DATABASE_URL
 * is set), on a free port, with the demo catalog: a simulator, two modules, three tariffs.
 */
/** Builds the UI from the current sources into dist/ui (what the server serves), ~2 s. */
export async function buildUi(): Promise<void> {
  await build({
    configFile: new URL('../../src/ui/vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
  });
}

export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'oscat-browser-'));
  const database: TestDatabase | null = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: database?.url,
    port: 0,
    host: '127.0.0.1',
    demo: false,
    logLevel: 'silent',
    secretKey: 'browser-test-secret-key-0123456789',
  };
  const service = await startService(config);
  const simulator = await startVmmanagerSimulator({ port: 0, seed: 'default' });
  const admin = { email: 'admin@example.com', password: 'browser-test-password' };
  const { app } = service;
  await app.auth.createAdmin(admin, 'test');
  const moscow = await app.modules.createModule(
    {
      name: 'Moscow',
      url: simulator.url,
      adminEmail: simulator.email,
      password: simulator.password,
      clusterId: 1,
      sort: 10,
    },
    'test',
  );
  const amsterdam = await app.modules.createModule(
    {
      name: 'Amsterdam',
      url: simulator.url,
      adminEmail: simulator.email,
      password: simulator.password,
      clusterId: 2,
      sort: 20,
    },
    'test',
  );
  for (const m of [moscow, amsterdam]) await app.sync.runSync(m.id, { trigger: 'initial', actor: 'test' });
  await app.tariffs.createTariff({ name: 'VPS Start', diskMib: 20480, moduleIds: [moscow.id] }, 'test');
  await app.tariffs.createTariff(
    { name: 'VPS Pro', diskMib: 81920, moduleIds: [moscow.id, amsterdam.id] },
    'test',
  );
  await app.tariffs.createTariff(
    { name: 'VPS Amsterdam', diskMib: 40960, moduleIds: [amsterdam.id] },
    'test',
  );
  return {
    url: service.url,
    service,
    simulator,
    admin,
    async stop() {
      await service.stop();
      await simulator.close();
      await database?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
