import { describe, expect, it } from 'vitest';
import { lendApp } from '../cli/cli-context.js';
import { runCliCaptured } from '../cli/cli.test-helpers.js';
import { dumpCatalog } from '../test/test-app.js';
import type { SyncRunResult, SyncRunSummary } from './sync.schema.js';
import { useSyncTestbed } from './sync.test-helpers.js';

const bed = useSyncTestbed({ perFile: true });

const run = (argv: string[], stdin?: string) => runCliCaptured(argv, { stdin, apps: lendApp(bed.app) });

const addArgs = (name: string, extra: string[] = []) => [
  'modules',
  'add',
  '--name',
  name,
  '--url',
  bed.sim.url,
  '--email',
  bed.sim.email,
  '--password-stdin',
  ...extra,
];

describe('os-catalog modules add', () => {
  it('creates nothing when the connection test fails, and says why', async () => {
    const before = await dumpCatalog(bed.app.db);
    const wrong = await run(addArgs('msk'), 'not-the-password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(
      /^error: connection test failed: VMmanager did not accept .* \(upstream_auth\)\n$/,
    );
    const missing = await run(addArgs('msk', ['--cluster', '7']), bed.sim.password);
    expect(missing.err).toMatch(/no cluster with id 7.*\(invalid_input\)/);
    const noPassword = await run(addArgs('msk').slice(0, -1), bed.sim.password);
    expect(noPassword.err).toMatch(/--password-stdin.*\(invalid_input\)/);
    expect(await dumpCatalog(bed.app.db)).toBe(before);
  });

  it('tests the connection, creates the module and runs its initial sync', async () => {
    const added = await run(
      addArgs('msk', ['--cluster', '1', '--schedule', '*/5 * * * *']),
      bed.sim.password + '\n',
    );
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toContain('… testing the connection');
    expect(added.out).toContain('… fetching templates from VMmanager');
    expect(added.out).toMatch(
      /module \d+ \(msk\) added at http:\/\/127\.0\.0\.1:\d+; connected as admin@example.com/,
    );
    expect(added.out).toMatch(/applied — run \d+\n {2}upstream 12 · added 11 .* · unavailable 1/);
    expect(added.out).toContain('‖ ISPsystem__Ubuntu 20.04: unavailable (state updating)');
    const [module] = await bed.app.modules.listModules();
    expect(module).toMatchObject({ name: 'msk', clusterId: 1, schedule: '*/5 * * * *' });
    const [initial] = await bed.app.sync.listSyncRuns({ moduleId: module!.id });
    expect(initial).toMatchObject({ trigger: 'initial', outcome: 'applied', actor: 'cli' });
  });

  it('prints the module and its initial sync as JSON, with policy hold', async () => {
    const added = await run(
      addArgs('ams', ['--cluster', '2', '--policy', 'hold', '--json']),
      bed.sim.password,
    );
    expect(added.code).toBe(0);
    const [result] = JSON.parse(added.out) as {
      module: { newTemplatePolicy: string };
      sync: SyncRunResult;
    }[];
    expect(result!.module.newTemplatePolicy).toBe('hold');
    expect(result!.sync).toMatchObject({ trigger: 'initial', outcome: 'applied' });
    expect(result!.sync.diff!.add.every((a) => a.awaitingReview)).toBe(true);
  });
});

describe('os-catalog sync', () => {
  it('shows a dry run with progress and changes nothing', async () => {
    bed.sim.state.addTemplate({ name: 'Arch Linux', clusterIds: [1], hddMibRequired: 4096 });
    const before = await dumpCatalog(bed.app.db);
    const dry = await run(['sync', '--module', '1', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('… planning');
    expect(dry.out).toContain('dry run (nothing applied)');
    expect(dry.out).toContain('+ ISPsystem__Arch Linux');
    expect(dry.out).not.toContain('… applying');
    expect(await dumpCatalog(bed.app.db)).toBe(before);
  });

  it('applies every enabled module and prints a readable diff', async () => {
    const synced = await run(['sync']);
    expect(synced.code).toBe(0);
    expect(synced.out).toMatch(/module 1 \(msk\): applied — run \d+/);
    expect(synced.out).toContain('+ ISPsystem__Arch Linux');
    expect(synced.out).toMatch(/module 2 \(ams\): no change/);
    const again = await run(['sync', '--all', '--json']);
    expect((JSON.parse(again.out) as SyncRunResult[]).map((r) => r.outcome)).toEqual([
      'no_change',
      'no_change',
    ]);
  });

  it('exits 2 on a held plan, which sync discard and sync apply resolve', async () => {
    bed.sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os' });
    const held = await run(['sync', '--module', '1']);
    expect(held.code).toBe(2);
    expect(held.out).toContain('HELD for review');
    const runId = /os-catalog sync apply (\d+)/.exec(held.out)![1]!;
    expect(await run(['sync', 'discard', runId])).toMatchObject({ code: 0 });
    expect((await run(['sync', 'discard', runId])).err).toMatch(/\((conflict|not_found|invalid_input)\)/);

    bed.sim.injectFault({ kind: 'empty_list', path: '/vm/v3/os' });
    const heldAgain = await run(['sync', '--module', '1', '--json']);
    expect(heldAgain.code).toBe(2);
    const [heldRun] = JSON.parse(heldAgain.out) as SyncRunResult[];
    const applied = await run(['sync', 'apply', String(heldRun!.runId)]);
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/applied — run \d+/);
  });

  it('exits 1 on a failed run and lists every run in the history', async () => {
    bed.sim.injectFault({ kind: 'http_error', status: 500, path: '/vm/v3/os', times: 'always' });
    const failed = await run(['sync', '--module', '2']);
    bed.sim.clearFaults();
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/FAILED — run \d+\n {2}error: .*\(upstream_unavailable\)/);
    const history = await run(['sync', 'history', '--module', '2', '--json']);
    const runs = JSON.parse(history.out) as SyncRunSummary[];
    expect(runs[0]).toMatchObject({ outcome: 'failed', trigger: 'manual' });
    expect(runs.at(-1)).toMatchObject({ outcome: 'applied', trigger: 'initial' });
    const table = await run(['sync', 'history']);
    expect(table.out).toMatch(/RUN\s+MODULE\s+TRIGGER\s+OUTCOME/);
    expect(table.out).toContain('failed');
  });

  it('shows repeated no-change runs as one entry with their count and span', async () => {
    for (let i = 0; i < 3; i += 1) expect((await run(['sync', '--module', '2'])).code).toBe(0);
    const again = await run(['sync', '--module', '2']);
    expect(again.out).toMatch(/no change — run \d+ \(×4: the same as the 3 before it\)/);
    const runs = JSON.parse((await run(['sync', 'history', '--module', '2', '--json'])).out) as {
      outcome: string;
      runCount: number;
      finishedAt: string;
      lastFinishedAt: string;
    }[];
    expect(runs[0]).toMatchObject({ outcome: 'no_change', runCount: 4 });
    expect(runs[1]).toMatchObject({ outcome: 'failed', runCount: 1 });
    expect(Date.parse(runs[0]!.lastFinishedAt)).toBeGreaterThanOrEqual(Date.parse(runs[0]!.finishedAt));
    const table = await run(['sync', 'history', '--module', '2']);
    expect(table.out).toMatch(
      /no_change ×4\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d–(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d /,
    );
    const show = await run(['sync', 'show', String((runs[0] as unknown as { runId: number }).runId)]);
    expect(show.out).toMatch(/runs\s+4 \(the same; the last finished \d{4}-/);
  });

  it('rejects bad input with one line and a non-zero code', async () => {
    for (const argv of [
      ['sync', '--module', 'x'],
      ['sync', '--module', '99'],
      ['sync', '--module', '1', '--all'],
      ['sync', 'apply', '0'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err, argv.join(' ')).toMatch(/^error: .+ \((invalid_input|not_found)\)\n$/);
    }
  });
});
