import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { ensureDemoAdmin } from '../../src/auth/demo-admin.js';
import { loadConfig } from '../../src/config.js';
import type { DemoInfo } from '../../src/demo/demo.js';
import { startService, type RunningService } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from '../../src/test/test-database.js';

/** A valid cron pattern that never fires (February has no 30th). */
const neverSchedule = '0 0 30 2 *';

export interface DemoServer {
  url: string;
  service: RunningService;
  demo: DemoInfo;
  admin: { email: string; password: string };
  stop(): Promise<void>;
}

/** Builds the UI from the current sources into dist/ui (what the server serves), ~2 s. */
export async function buildUi(): Promise<void> {
  await build({
    configFile: new URL('../../src/ui/vite.config.ts', import.meta.url).pathname,
    logLevel: 'warn',
  });
}

/**
 * The real service as `npm start` runs it, with the demo on (in-process VMmanager 6 simulator, two
 * modules, three tariffs, initial sync) on a fresh data directory (or a fresh PostgreSQL database
 * when DATABASE_URL is set) and a free port, plus the demo admin account.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'oscat-browser-'));
  const database: TestDatabase | null = process.env.DATABASE_URL ? await createTestDatabase() : null;
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: database?.url,
    port: 0,
    host: '127.0.0.1',
    demo: true,
    logLevel: 'silent',
  };
  let demo: DemoInfo | undefined;
  const service = await startService(config, {
    demo: {
      simulatorPort: 0,
      // Scheduled syncs would race the tests' own "Synchronize now" clicks and simulator changes.
      // Feb 30 never comes; the modules have it from their creation, before the scheduler starts
      // (a schedule changed later stays as it was in the scheduler until it reconciles, 30 s on).
      syncSchedule: neverSchedule,
      print: () => undefined,
      onDemoReady: (info) => void (demo = info),
    },
  });
  const stop = async () => {
    await service.stop();
    await database?.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (!demo) throw new Error('the demo did not start');
    const admin = await ensureDemoAdmin(service.app);
    if (!admin) throw new Error('the demo admin already existed: its password is unknown');
    return { url: service.url, service, demo, admin, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
