import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { runCliCaptured, type CliResult } from '../cli/cli.test-helpers.js';

const json = <T>(result: CliResult): T => {
  expect(result, result.err).toMatchObject({ code: 0 });
  return JSON.parse(result.out) as T;
};

/**
 * Issue 11's "tried as a new user": the CLI as an admin runs it, against a simulator answering
 * in the shapes real installations send (docs/vmmanager6.md), with real time.
 */
describe('a new user against VMmanager 6 as real installations answer', () => {
  let sim: VmmanagerSimulator;
  let database: TestDatabase | undefined;
  let saved: NodeJS.ProcessEnv;
  let moduleId: number;
  let tariffId: number;

  const orderable = async () =>
    json<{ internalName: string }[]>(await runCliCaptured(['tariffs', 'os', String(tariffId), '--json'])).map(
      (t) => t.internalName,
    );

  beforeAll(async () => {
    saved = { ...process.env };
    sim = await startVmmanagerSimulator({ modes: { whoamiEmail: false, rolesAs: 'string' } });
    process.env.OSCAT_DATA_DIR = mkdtempSync(join(tmpdir(), 'oscat-new-user-'));
    process.env.OSCAT_LOG_LEVEL = 'silent';
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      process.env.DATABASE_URL = database.url;
    }
    // One nameless item, one of the 2022 shape, one with clusters as one object.
    sim.state.updateTemplate(8201, { shape: 'legacy_2022' });
    sim.state.updateTemplate(8202, { shape: 'clusters_object' });
    sim.state.updateTemplate(8203, { shape: 'nameless' });
  });
  afterAll(async () => {
    await sim.close();
    await database?.close();
    process.env = saved;
  });

  it('adds a module from a URL pasted as https://host/vm/v3/ while whoami sends no email', async () => {
    const added = await runCliCaptured(
      [
        'modules',
        'add',
        '--name',
        'msk',
        '--url',
        `${sim.url}/vm/v3/`,
        '--email',
        sim.email,
        '--password-stdin',
      ],
      { stdin: sim.password + '\n' },
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`added at ${sim.url}; connected as ${sim.email}`);
    const [module] = json<{ id: number; url: string }[]>(await runCliCaptured(['modules', 'list', '--json']));
    expect(module!.url).toBe(sim.url);
    moduleId = module!.id;
    tariffId = json<{ id: number }[]>(
      await runCliCaptured(['tariffs', 'create', '--name', 'VPS', '--modules', String(moduleId), '--json']),
    )[0]!.id;
  });

  it('synced the odd list: the nameless item skipped, the 2022-shaped one and the clusters object imported', async () => {
    const [run] = json<{ counts: { skipped: number }; diff: { skipped: { reason: string }[] } }[]>(
      await runCliCaptured(['sync', 'history', '--module', String(moduleId), '--limit', '1', '--json']),
    );
    expect(run!.counts.skipped).toBe(1);
    // The human history says so too, on the run's line.
    const history = await runCliCaptured(['sync', 'history', '--module', String(moduleId), '--limit', '1']);
    expect(history.out).toMatch(/\b1 skipped\b/);
    const names = json<{ internalName: string }[]>(await runCliCaptured(['templates', 'list', '--json'])).map(
      (t) => t.internalName,
    );
    expect(names).toEqual(expect.arrayContaining(['ISPsystem__AlmaLinux 9', 'ISPsystem__AlmaLinux 8']));
    expect(names).not.toContain('ISPsystem__Rocky Linux 9');
    expect(await orderable()).toEqual(
      expect.arrayContaining(['ISPsystem__AlmaLinux 9', 'ISPsystem__AlmaLinux 8']),
    );
  });

  it('never offers NoOS', async () => {
    expect((await orderable()).some((name) => name.includes('NoOS'))).toBe(false);
  });

  it('ends a manual sync during a 4-second plain-text 503 suspension in a successful run', async () => {
    sim.state.addTemplate({ name: 'Arch Linux', clusterIds: [1] });
    // Measured from before the suspension starts: it lasts 4 s from there, so the sync that rode
    // it out took at least that long whatever the machine's load (a stall between the two lines
    // would otherwise count against it).
    const started = Date.now();
    sim.suspension.suspend(4000, 'text');
    const synced = await runCliCaptured(['sync', '--module', String(moduleId)]);
    expect(synced.code, synced.out + synced.err).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3500);
    expect(synced.out).toMatch(/applied/);
    expect(await orderable()).toContain('ISPsystem__Arch Linux');
  });

  it('keeps a template connected while VMmanager updates it, and offers it again after', async () => {
    sim.state.updateTemplate(8206, { state: 'updating' });
    expect((await runCliCaptured(['sync', '--module', String(moduleId)])).code).toBe(0);
    expect(await orderable()).not.toContain('ISPsystem__Debian 12');
    sim.state.updateTemplate(8206, { state: 'active' });
    expect((await runCliCaptured(['sync', '--module', String(moduleId)])).code).toBe(0);
    expect(await orderable()).toContain('ISPsystem__Debian 12');
    const audit = json<{ action: string }[]>(
      await runCliCaptured(['audit', 'list', '--json', '--limit', '500']),
    );
    expect(audit.map((a) => a.action).filter((a) => /disconnect/.test(a))).toEqual([]);
    const history = json<{ counts: { disconnected: number } }[]>(
      await runCliCaptured(['sync', 'history', '--module', String(moduleId), '--json']),
    );
    expect(history.map((r) => r.counts.disconnected)).toEqual(history.map(() => 0));
  });
});
