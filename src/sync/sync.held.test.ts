import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import { AppError } from '../shared/errors.js';
import { dumpCatalog } from '../test/test-app.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { addSimModule, createSyncApp } from './sync.test-kit.js';

let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
let moduleId: number;
let tariffId: number;

beforeEach(async () => {
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator();
  app = createSyncApp(database);
  moduleId = (await addSimModule(app, sim, 'msk', { clusterId: 1 })).id;
  tariffId = (await app.tariffs.createTariff({ name: 'VPS', moduleIds: [moduleId] }, 'test')).id;
  await app.sync.runSync(moduleId, { trigger: 'initial' });
});
afterEach(async () => {
  await sim?.close();
  await database?.close();
});

const admin = 'admin:a@example.test';
const osCalls = () => sim.requests.filter((r) => r.path === '/vm/v3/os').length;
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );
const templateNamed = async (internalName: string) =>
  (await app.catalog.listTemplates({ includeRetired: true })).find((t) => t.internalName === internalName)!;
const orderable = async () => (await app.tariffs.listOrderableTemplates(tariffId)).map((t) => t.internalName);

describe('the guard', () => {
  it('holds a plan that disconnects more than half of the module’s templates, and changes nothing', async () => {
    const before = await dumpCatalog(app.db);
    for (const id of [8201, 8202, 8203, 8204, 8205, 8206]) sim.state.removeTemplate(id);
    const preview = await app.sync.dryRun(moduleId);
    expect(preview).toMatchObject({
      outcome: 'dry_run',
      guardReason: 'too_many_disconnects',
      heldState: null,
    });
    const run = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run).toMatchObject({
      outcome: 'held',
      heldState: 'pending',
      guardReason: 'too_many_disconnects',
      counts: { disconnected: 6 },
    });
    expect(run.guardMessage).toContain('6 of 11');
    expect(await dumpCatalog(app.db)).toBe(before);
  });

  it('applies a plan at exactly the allowed share, and follows the module’s own share', async () => {
    await app.modules.updateModule(moduleId, { guardMaxDisconnectShare: 0.2 }, 'test');
    for (const id of [8201, 8202, 8203]) sim.state.removeTemplate(id);
    expect((await app.sync.runSync(moduleId, { trigger: 'schedule' })).outcome).toBe('held');
    await app.modules.updateModule(moduleId, { guardMaxDisconnectShare: 3 / 11 }, 'test');
    expect((await app.sync.runSync(moduleId, { trigger: 'schedule' })).outcome).toBe('applied');
  });

  it('holds an empty upstream list, and an admin’s force applies it', async () => {
    sim.state.replaceTemplates([]);
    expect((await app.sync.runSync(moduleId, { trigger: 'schedule' })).guardReason).toBe('empty_upstream');
    const forced = await app.sync.runSync(moduleId, { trigger: 'manual', force: true, actor: admin });
    expect(forced).toMatchObject({ outcome: 'applied', counts: { disconnected: 11 }, actor: admin });
    expect(await orderable()).toEqual([]);
  });
});

describe('held plans', () => {
  const holdSix = async () => {
    for (const id of [8201, 8202, 8203, 8204, 8205, 8206]) sim.state.removeTemplate(id);
    return app.sync.runSync(moduleId, { trigger: 'schedule' });
  };

  it('applies the stored upstream set, re-planned against the current catalog, without fetching again', async () => {
    const held = await holdSix();
    sim.state.removeTemplate(8208); // a later upstream change the held plan must not see
    const calls = osCalls();
    const applied = await app.sync.applyHeldRun(held.runId, admin);
    expect(osCalls()).toBe(calls);
    expect(applied).toMatchObject({
      outcome: 'applied',
      appliedFromRunId: held.runId,
      actor: admin,
      counts: { disconnected: 6 },
    });
    expect(await orderable()).toContain('ISPsystem__Ubuntu 24.04');
    expect(await app.sync.getSyncRun(held.runId)).toMatchObject({
      heldState: 'applied',
      heldResolvedBy: admin,
    });
    expect(await codeOf(app.sync.applyHeldRun(held.runId, admin))).toBe('conflict');
    const audit = await app.audit.listAudit({ objectType: 'sync_run', objectId: String(held.runId) });
    expect(audit.map((a) => a.action)).toEqual(['sync.apply_held']);
  });

  it('discards a held plan without touching the catalog', async () => {
    const held = await holdSix();
    const before = await dumpCatalog(app.db);
    const discarded = await app.sync.discardHeldRun(held.runId, admin);
    expect(discarded).toMatchObject({ heldState: 'discarded', heldResolvedBy: admin });
    expect(await dumpCatalog(app.db)).toBe(before);
    expect(await codeOf(app.sync.discardHeldRun(held.runId, admin))).toBe('conflict');
    expect(await codeOf(app.sync.applyHeldRun(held.runId, admin))).toBe('conflict');
  });

  it('is superseded by a later run of the module, and unknown or unheld runs are refused', async () => {
    const held = await holdSix();
    for (const t of [8201, 8202, 8203]) sim.state.addTemplate({ id: t, name: `Back ${t}`, clusterIds: [1] });
    const later = await app.sync.runSync(moduleId, { trigger: 'manual', force: true });
    expect(later.outcome).toBe('applied');
    expect((await app.sync.getSyncRun(held.runId)).heldState).toBe('superseded');
    expect(await codeOf(app.sync.applyHeldRun(held.runId, admin))).toBe('conflict');
    expect(await codeOf(app.sync.applyHeldRun(later.runId, admin))).toBe('conflict');
    expect(await codeOf(app.sync.applyHeldRun(999999, admin))).toBe('not_found');
  });
});

describe('dry runs', () => {
  it('return the plan and its impact, record a dry_run run and change nothing', async () => {
    sim.state.removeTemplate(8206);
    sim.state.addTemplate({ id: 9001, name: 'Arch Linux', clusterIds: [1] });
    const before = await dumpCatalog(app.db);
    const run = await app.sync.dryRun(moduleId);
    expect(run).toMatchObject({ outcome: 'dry_run', counts: { added: 1, disconnected: 1 } });
    expect(run.diff?.impact).toEqual([
      {
        tariffId,
        tariffName: 'VPS',
        gained: 1,
        lost: 1,
        gainedTemplates: ['ISPsystem__Arch Linux'],
        lostTemplates: ['ISPsystem__Debian 12'],
      },
    ]);
    expect(await dumpCatalog(app.db)).toBe(before);
    const runs = await app.sync.listSyncRuns({ moduleId });
    expect(runs.map((r) => r.outcome)).toEqual(['dry_run', 'applied']);
    expect(await app.sync.listSyncRuns({ moduleId, beforeId: run.runId })).toHaveLength(1);
  });
});

describe('rename candidates and remap', () => {
  it('reports a template renamed upstream (same id) and the remap moves the admin’s decisions', async () => {
    const old = await templateNamed('ISPsystem__Debian 12');
    await app.catalog.editTemplate(old.id, { sort: 3, tags: ['popular'] }, admin);
    await app.catalog.setTemplateOnTariffs(old.id, [tariffId], false, admin);
    sim.state.renameTemplate(8206, 'Debian 12 (bookworm)');
    const run = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run.diff?.renameCandidates).toEqual([
      {
        reason: 'same_upstream_id',
        from: { valueId: old.id, internalName: 'ISPsystem__Debian 12', upstreamId: 8206 },
        to: { valueId: null, internalName: 'ISPsystem__Debian 12 (bookworm)', upstreamId: 8206 },
      },
    ]);
    const renamed = await templateNamed('ISPsystem__Debian 12 (bookworm)');
    expect(renamed.awaitingReview).toBe(true);
    const candidates = await app.remap.listRenameCandidates(moduleId);
    expect(candidates.map((c) => [c.moduleId, c.reason, c.from.valueId, c.to.valueId])).toEqual([
      [moduleId, 'same_upstream_id', old.id, renamed.id],
    ]);

    const result = await app.remap.remapTemplate({ fromValueId: old.id, toValueId: renamed.id }, admin);
    expect(result.copiedTariffDecisions).toBe(1);
    expect(result.to).toMatchObject({ sort: 3, tags: ['popular'], awaitingReview: false, retiredAt: null });
    expect(result.from.retiredAt).not.toBeNull();
    expect(await app.remap.listRenameCandidates(moduleId)).toEqual([]);
    expect(await orderable()).not.toContain('ISPsystem__Debian 12 (bookworm)'); // the tariff decision moved
    const detail = await app.catalog.getTemplate(old.id);
    expect(detail.modules.every((m) => !m.connected)).toBe(true);
    const audit = await app.audit.listAudit({ objectType: 'template', objectId: String(renamed.id) });
    expect(audit[0]?.action).toBe('template.remap');
  });

  it('catches the ISPsystem → ISPSYSTEM trap: held, applied by an admin, then remapped by name', async () => {
    const old = await templateNamed('ISPsystem__AlmaLinux 9');
    await app.catalog.setTemplateDisabled(old.id, true, admin);
    sim.state.renameRepository(1, 'ISPSYSTEM');
    const held = await app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(held.outcome).toBe('held');
    expect(held.diff?.renameCandidates).toHaveLength(11);
    expect(held.diff?.renameCandidates.every((c) => c.reason === 'case_change')).toBe(true);
    await app.sync.applyHeldRun(held.runId, admin);
    expect(await orderable()).toEqual([]); // old names gone, new ones await review: nothing silently offered
    expect(await app.remap.listRenameCandidates()).toHaveLength(11);

    await app.remap.remapTemplate(
      { fromInternalName: 'ISPsystem__AlmaLinux 9', toInternalName: 'ISPSYSTEM__AlmaLinux 9' },
      admin,
    );
    await app.remap.remapTemplate(
      { fromInternalName: 'ISPsystem__Debian 12', toInternalName: 'ISPSYSTEM__Debian 12' },
      admin,
    );
    expect(await orderable()).toEqual(['ISPSYSTEM__Debian 12']); // AlmaLinux stays disabled
    expect((await templateNamed('ISPSYSTEM__AlmaLinux 9')).disabled).toBe(true);
    expect(await app.remap.listRenameCandidates(moduleId)).toHaveLength(9);
    expect(
      await codeOf(
        app.remap.remapTemplate(
          { fromInternalName: 'ISPsystem__Debian 12', toInternalName: 'ISPSYSTEM__Debian 12' },
          admin,
        ),
      ),
    ).toBe('conflict');
    expect(await codeOf(app.remap.remapTemplate({ fromValueId: old.id, toValueId: old.id }, admin))).toBe(
      'invalid_input',
    );
  });
});
