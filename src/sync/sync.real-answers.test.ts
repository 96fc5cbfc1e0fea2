import { describe, expect, it } from 'vitest';
import { dumpCatalog } from '../test/test-app.js';
import { startVmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { createVmmanagerClient } from '../vmmanager6/vmmanager6.client.js';
import { signInOptionsOf } from '../vmmanager6/vmmanager6.factory.js';
import { fakeTimers } from '../vmmanager6/vmmanager6.test-kit.js';
import { addSimModule, createSyncApp } from './sync.test-kit.js';
import { useSyncTestbed } from './sync.test-helpers.js';

// The sync against answers of the shapes real installations send (docs/vmmanager6.md, sources).
const bed = useSyncTestbed();

// The catalog's own tables: a run with nothing to do still records its mark on the module row.
const catalogRows = async () =>
  (await dumpCatalog(bed.app.db))
    .split('\n')
    .filter((line) => !line.startsWith('processing_modules: '))
    .join('\n');

const byName = async () => new Map((await bed.app.catalog.listTemplates()).map((t) => [t.internalName, t]));

async function setUp(extra: { guardMaxDisconnectShare?: number } = {}) {
  const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1, ...extra });
  const tariff = await bed.app.tariffs.createTariff({ name: 'VPS', moduleIds: [module.id] }, 'test');
  return { moduleId: module.id, tariffId: tariff.id };
}

describe('a sync of an OS list whose items come in every shape', () => {
  it('skips a nameless item, imports a 2022-shaped item and one with clusters as an object', async () => {
    bed.sim.state.updateTemplate(8201, { shape: 'legacy_2022' });
    bed.sim.state.updateTemplate(8202, { shape: 'clusters_object' });
    bed.sim.state.updateTemplate(8203, { shape: 'nameless' });
    const { moduleId } = await setUp();
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run).toMatchObject({
      outcome: 'applied',
      counts: { upstream: 11, added: 10, unavailable: 1, skipped: 1 },
    });
    expect(run.diff?.skipped).toEqual([
      { upstreamId: 8203, name: null, internalName: null, reason: 'no name' },
    ]);
    const templates = await byName();
    expect(templates.get('ISPsystem__AlmaLinux 9')).toMatchObject({ minDiskMib: null, minRamMib: null });
    expect(templates.get('ISPsystem__AlmaLinux 9')?.osGroup).toBe('almalinux');
    expect(templates.has('ISPsystem__AlmaLinux 8')).toBe(true);
    expect(templates.has('ISPsystem__Rocky Linux 9')).toBe(false);
    expect((await bed.app.sync.listSyncRuns({ moduleId }))[0]?.counts.skipped).toBe(1);
  });

  it('keeps a connected template connected when its item turns unusable, and records why', async () => {
    const { moduleId, tariffId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const before = await catalogRows();
    bed.sim.state.updateTemplate(8206, { shape: 'nameless' });
    bed.sim.state.updateTemplate(8208, { shape: 'repository_null' });
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run).toMatchObject({ outcome: 'no_change', counts: { disconnected: 0, skipped: 2 } });
    expect(run.diff?.skipped.map((s) => [s.upstreamId, s.reason])).toEqual([
      [8206, 'no name'],
      [8208, 'no repository'],
    ]);
    expect(await catalogRows()).toBe(before);
    const orderable = (await bed.app.tariffs.listOrderableTemplates(tariffId)).map((t) => t.internalName);
    expect(orderable).toContain('ISPsystem__Debian 12');
  });

  it('holds an answer most of whose items are unusable and changes nothing; applying it keeps their connections', async () => {
    const { moduleId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const before = await catalogRows();
    const all = bed.sim.state.listTemplates();
    for (const template of all.slice(0, Math.ceil(all.length / 2) + 1))
      bed.sim.state.updateTemplate(template.id, { shape: 'nameless' });
    const held = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(held).toMatchObject({ outcome: 'held', guardReason: 'too_many_skipped' });
    expect(held.guardMessage).toMatch(/of the \d+ items VMmanager listed could not be used.*first: no name/);
    expect(await catalogRows()).toBe(before);

    const applied = await bed.app.sync.applyHeldRun(held.runId, 'admin:a@example.test');
    expect(applied).toMatchObject({ outcome: 'no_change', counts: { disconnected: 0 } });
    expect(await catalogRows()).toBe(before);
  });

  it('takes a list without size as complete', async () => {
    bed.sim.modes.listSize = false;
    const { moduleId } = await setUp();
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run).toMatchObject({ outcome: 'applied', counts: { added: 11, skipped: 0 } });
  });
});

describe('minimum RAM and OS group', () => {
  it('are stored on the template and follow VMmanager like the minimum disk', async () => {
    const { moduleId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const windows = (await byName()).get('ISPsystem__Windows Server 2022')!;
    expect(windows).toMatchObject({ minDiskMib: 40960, minRamMib: 2048, osGroup: 'windows' });

    bed.sim.state.updateTemplate(8213, { minRamMib: 4096 });
    bed.sim.state.updateTemplate(8206, { shape: 'legacy_2022' });
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run.outcome).toBe('applied');
    expect(run.diff?.update.find((u) => u.valueId === windows.id)?.changes).toEqual({
      minRamMib: { from: 2048, to: 4096 },
    });
    const after = await byName();
    expect(after.get('ISPsystem__Windows Server 2022')?.minRamMib).toBe(4096);
    // An older installation's item does not say: unknown, never a guessed value.
    expect(after.get('ISPsystem__Debian 12')).toMatchObject({ minDiskMib: null, minRamMib: null });
  });
});

describe('a suspended VMmanager', () => {
  it('asleep for 4 s with a plain-text 503 during a manual sync: the run succeeds (default budget, fake clock)', async () => {
    const timers = fakeTimers();
    const sim = await startVmmanagerSimulator({ now: timers.now });
    const app = createSyncApp(bed.database, {
      vmmanagerClientFactory: (m) =>
        createVmmanagerClient({ url: m.url, email: m.adminEmail, ...signInOptionsOf(m), timers }),
    });
    try {
      const module = await addSimModule(app, sim, 'sleepy', { clusterId: 1 });
      sim.suspension.suspend(4000, 'text');
      const run = await app.sync.runSync(module.id, { trigger: 'manual' });
      expect(run).toMatchObject({ outcome: 'applied', error: null, counts: { added: 11 } });
      expect(timers.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4000);

      sim.suspension.suspend(10 * 60_000, 'json');
      const failed = await app.sync.runSync(module.id, { trigger: 'schedule' });
      expect(failed.outcome).toBe('failed');
      expect(failed.error?.message).toMatch(/stayed suspended \(503\).*try again in a minute/);
    } finally {
      await app.sync.close();
      await sim.close();
    }
  });
});
