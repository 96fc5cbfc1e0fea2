import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../cli/cli.test-helpers.js';
import { startServeChild, stopChild } from '../cli/forward.test-helpers.js';
import { loadConfig } from '../config.js';
import { startService } from '../service.js';
import type { SyncRunResult } from '../sync/sync.schema.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { isDemoEnabled } from './demo.js';

const runInProcess = (...argv: string[]) => runCliCaptured(argv);

describe('when the demo runs', () => {
  it('runs with no configuration, and not with OSCAT_DEMO=0 or a database URL', () => {
    expect(isDemoEnabled(loadConfig({}))).toBe(true);
    expect(isDemoEnabled(loadConfig({ OSCAT_DEMO: '0' }))).toBe(false);
    expect(isDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }))).toBe(false);
    expect(isDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x@h/db', OSCAT_DEMO: '1' }))).toBe(true);
  });
});

describe('npm start in demo mode', () => {
  let serverDb: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    serverDb = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'oscat-demo-'));
    env = {
      ...process.env,
      OSCAT_DATA_DIR: dataDir,
      OSCAT_DEMO: '1',
      OSCAT_PORT: '0',
      OSCAT_LOG_LEVEL: 'warn',
      DATABASE_URL: serverDb?.url ?? '',
    };
    Object.assign(process.env, { OSCAT_DATA_DIR: dataDir, OSCAT_LOG_LEVEL: 'silent', OSCAT_DEMO: '1' });
    if (serverDb) process.env.DATABASE_URL = serverDb.url;
  });
  afterAll(async () => serverDb?.close());

  it('shows a synced catalog, and the CLI syncs while it runs', async () => {
    const server = await startServeChild(env);
    try {
      expect(server.output()).toContain('set up now');
      expect(server.output()).toMatch(/catalog: {4}1[0-9] OS templates/);
      expect(server.output()).toContain('npx os-catalog sync --dry-run');
      const dry = await runInProcess('sync', '--dry-run', '--json');
      expect(dry).toMatchObject({ code: 0, err: '' });
      const runs = JSON.parse(dry.out) as SyncRunResult[];
      expect(runs.map((r) => r.outcome)).toEqual(['dry_run', 'dry_run']);
      const human = await runInProcess('sync');
      expect(human.code).toBe(0);
      expect(human.out).toContain('… fetching templates from VMmanager');
      expect(human.out).toMatch(/Demo MSK \(msk-kvm-1\)\): no change/);
      const history = JSON.parse((await runInProcess('sync', 'history', '--json')).out) as SyncRunResult[];
      expect(history.filter((r) => r.trigger === 'initial' && r.outcome === 'applied')).toHaveLength(2);
    } finally {
      await stopChild(server);
    }
  }, 90_000);

  it('reuses the data on the next start', async () => {
    let printed = '';
    const service = await startService(loadConfig(env), {
      demo: { simulatorPort: 0, print: (text) => void (printed += text) },
    });
    try {
      expect(printed).toContain('reusing the data from the last start');
      expect(await service.app.modules.listModules()).toHaveLength(2);
      expect(await service.app.tariffs.listTariffs()).toHaveLength(3);
      const anywhere = (await service.app.tariffs.listTariffs()).find((t) => t.moduleIds.length === 2)!;
      expect((await service.app.tariffs.listOrderableTemplates(anywhere.id)).length).toBeGreaterThan(5);
    } finally {
      await service.stop();
    }
  }, 60_000);
});
