import { describe, expect, it } from 'vitest';
import { insertTemplates } from '../test/test-app.js';
import { addSimModule } from './sync.test-kit.js';

import { useSyncTestbed } from './sync.test-helpers.js';

const bed = useSyncTestbed();

const debian = 'ISPsystem__Debian 12';
const alma = 'ISPsystem__AlmaLinux 9';
const cluster1Names = [
  'ISPsystem__AlmaLinux 8',
  'ISPsystem__AlmaLinux 9',
  'ISPsystem__CentOS Stream 9',
  'ISPsystem__Debian 12',
  'ISPsystem__FreeBSD 14.1',
  'ISPsystem__Oracle Linux 9',
  'ISPsystem__Rocky Linux 8',
  'ISPsystem__Rocky Linux 9',
  'ISPsystem__Ubuntu 22.04',
  'ISPsystem__Ubuntu 24.04',
  'ISPsystem__Windows Server 2022',
];

const templateNamed = async (internalName: string) => {
  const found = (await bed.app.catalog.listTemplates({ includeRetired: true })).find(
    (t) => t.internalName === internalName,
  );
  if (!found) throw new Error(`no template ${internalName}`);
  return found;
};
const orderableOn = async (tariffId: number) =>
  (await bed.app.tariffs.listOrderableTemplates(tariffId)).map((t) => t.internalName).sort();

async function setUp(options: { policy?: 'enable' | 'hold' } = {}) {
  const module = await addSimModule(bed.app, bed.sim, 'msk', {
    clusterId: 1,
    ...(options.policy ? { newTemplatePolicy: options.policy } : {}),
  });
  const tariff = await bed.app.tariffs.createTariff({ name: 'VPS msk', moduleIds: [module.id] }, 'test');
  const other = await bed.app.tariffs.createTariff({ name: 'VPS msk 2', moduleIds: [module.id] }, 'test');
  return { moduleId: module.id, tariffId: tariff.id, otherTariffId: other.id };
}

describe('the seed rule "exists in VMmanager, missing in the catalog"', () => {
  it('adds every active, non-admin-only template of the cluster and makes it orderable on the tariffs', async () => {
    const { moduleId, tariffId } = await setUp();
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run).toMatchObject({
      outcome: 'applied',
      trigger: 'initial',
      counts: { upstream: 12, added: 11, unavailable: 1 },
    });
    expect(await orderableOn(tariffId)).toEqual(cluster1Names);
    const windows = await templateNamed('ISPsystem__Windows Server 2022');
    expect(windows).toMatchObject({
      minDiskMib: 40960,
      displayName: 'Windows Server 2022',
      awaitingReview: false,
    });
    expect(windows.connectedModuleIds).toEqual([moduleId]);
  });

  it('keeps VMmanager tags and sorts new templates after the existing ones', async () => {
    const [existing] = await insertTemplates(bed.app.db, [{ internalName: 'local__Custom', sort: 5000 }]);
    bed.sim.state.addTemplate({ id: 9001, name: 'Arch Linux', clusterIds: [1], tags: ['rolling', 'linux'] });
    const { moduleId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const arch = await templateNamed('ISPsystem__Arch Linux');
    expect(arch.tags).toEqual(['rolling', 'linux']);
    const templates = await bed.app.catalog.listTemplates();
    const added = templates.filter((t) => t.id !== existing);
    expect(Math.min(...added.map((t) => t.sort))).toBeGreaterThan(5000);
  });

  it('with policy hold adds and connects new templates but offers them on no tariff until approved', async () => {
    const { moduleId, tariffId } = await setUp({ policy: 'hold' });
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run.outcome).toBe('applied');
    expect(await orderableOn(tariffId)).toEqual([]);
    const template = await templateNamed(debian);
    expect(template).toMatchObject({ awaitingReview: true, connectedModuleIds: [moduleId] });
    await bed.app.catalog.approveTemplate(template.id, 'admin:a@example.test');
    expect(await orderableOn(tariffId)).toEqual([debian]);
  });
});

describe('the seed rule "gone from VMmanager"', () => {
  it('disconnects the template from the module and its tariffs, and never deletes it', async () => {
    const { moduleId, tariffId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    bed.sim.state.removeTemplate(8206);
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run).toMatchObject({ outcome: 'applied', counts: { disconnected: 1, unchanged: 10 } });
    expect(await orderableOn(tariffId)).not.toContain(debian);
    const template = await templateNamed(debian);
    expect(template).toMatchObject({ connectedModuleIds: [], status: 'none', retiredAt: null });
  });

  it('keeps it on a tariff that another module still serves it through', async () => {
    const { moduleId, tariffId } = await setUp();
    const ams = await addSimModule(bed.app, bed.sim, 'ams', { clusterId: 2 });
    const both = await bed.app.tariffs.createTariff({ name: 'both', moduleIds: [moduleId, ams.id] }, 'test');
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    await bed.app.sync.runSync(ams.id, { trigger: 'initial' });
    bed.sim.state.moveTemplate(8206, [2]);
    await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(await orderableOn(tariffId)).not.toContain(debian);
    expect(await orderableOn(both.id)).toContain(debian);
  });

  it('connects it again by itself when it returns (same value, no duplicate)', async () => {
    const { moduleId, tariffId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const before = await templateNamed(debian);
    bed.sim.state.moveTemplate(8206, [2]);
    await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    bed.sim.state.moveTemplate(8206, [1, 2]);
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run).toMatchObject({ outcome: 'applied', counts: { connected: 1, added: 0 } });
    expect(run.diff?.impact).toEqual([
      expect.objectContaining({ tariffId, gained: 1, lost: 0, gainedTemplates: [debian] }),
      expect.objectContaining({ gained: 1 }),
    ]);
    expect((await templateNamed(debian)).id).toBe(before.id);
    expect(await orderableOn(tariffId)).toContain(debian);
    expect((await bed.app.catalog.listTemplates()).filter((t) => t.internalName === debian)).toHaveLength(1);
  });
});

describe('the seed rule "disabled in the catalog by an admin"', () => {
  it('survives every kind of sync: update, disconnect, reconnect, connect by another module, no change', async () => {
    const { moduleId, tariffId, otherTariffId } = await setUp();
    const ams = await addSimModule(bed.app, bed.sim, 'ams', { clusterId: 2 });
    await bed.app.tariffs.setTariffModules(otherTariffId, [moduleId, ams.id], 'test');
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const deb = await templateNamed(debian);
    const alm = await templateNamed(alma);
    await bed.app.catalog.setTemplateDisabled(deb.id, true, 'admin:a@example.test');
    await bed.app.catalog.setTemplateOnTariffs(alm.id, [tariffId], false, 'admin:a@example.test');
    const check = async () => {
      expect(await orderableOn(tariffId)).not.toContain(debian);
      expect(await orderableOn(otherTariffId)).not.toContain(debian);
      expect(await orderableOn(tariffId)).not.toContain(alma);
      expect((await templateNamed(debian)).disabled).toBe(true);
    };
    const steps: (() => void)[] = [
      () => bed.sim.state.setHddMibRequired(8206, 6144), // update
      () => bed.sim.state.setHddMibRequired(8201, 11264), // update
      () => bed.sim.state.moveTemplate(8206, [2]), // disconnect
      () => bed.sim.state.moveTemplate(8201, [2]), // disconnect
      () => bed.sim.state.moveTemplate(8206, [1, 2]), // reconnect
      () => bed.sim.state.moveTemplate(8201, [1, 2]), // reconnect
      () => undefined, // no change
    ];
    for (const step of steps) {
      step();
      const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
      expect(['applied', 'no_change']).toContain(run.outcome);
      await check();
    }
    // A second module's initial sync connects both (connect) and adds others (add).
    await bed.app.sync.runSync(ams.id, { trigger: 'initial' });
    await check();
    expect(await orderableOn(otherTariffId)).toContain(alma);
  });
});

describe('updates of what VMmanager owns', () => {
  it('updates the minimum disk and leaves the admin’s display name, sort and tags alone', async () => {
    const { moduleId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const deb = await templateNamed(debian);
    await bed.app.catalog.editTemplate(
      deb.id,
      { displayName: 'Debian Bookworm', sort: 1, tags: ['mine'] },
      'admin:a@example.test',
    );
    bed.sim.state.setHddMibRequired(8206, 7000);
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(run.counts.updated).toBe(1);
    expect(await templateNamed(debian)).toMatchObject({
      minDiskMib: 7000,
      displayName: 'Debian Bookworm',
      sort: 1,
      tags: ['mine'],
    });
  });

  it('never undoes a deprecation: not through updates, a disconnect, or the template coming back', async () => {
    const { moduleId, tariffId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const deb = await templateNamed(debian);
    const alm = await templateNamed(alma);
    await bed.app.lifecycle.deprecateTemplate(
      deb.id,
      { eolAt: '2020-01-01T00:00:00Z', replacementId: alm.id },
      'admin:a@example.test',
    );
    const lifecycleOf = async () => {
      const t = await templateNamed(debian);
      return { lifecycle: t.lifecycle, eolAt: t.eolAt, replacementId: t.replacementId, by: t.deprecatedBy };
    };
    const decided = await lifecycleOf();
    expect(decided).toMatchObject({ lifecycle: 'deprecated', replacementId: alm.id });
    bed.sim.state.setHddMibRequired(8206, 7000);
    expect((await bed.app.sync.runSync(moduleId, { trigger: 'manual' })).counts.updated).toBe(1);
    expect(await lifecycleOf()).toEqual(decided);
    bed.sim.state.removeTemplate(8206);
    await bed.app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(await lifecycleOf()).toEqual(decided);
    bed.sim.state.addTemplate({ id: 8206, name: 'Debian 12', clusterIds: [1] });
    await bed.app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(await lifecycleOf()).toEqual(decided);
    expect(await orderableOn(tariffId)).not.toContain(debian);
    expect(
      (await bed.app.tariffs.listOrderableTemplates(tariffId)).find((t) => t.internalName === alma),
    ).toBeDefined();
  });

  it('reports no change, and writes nothing to the catalog, when nothing changed', async () => {
    const { moduleId } = await setUp();
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    const before = await bed.app.catalog.listTemplates();
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run).toMatchObject({ outcome: 'no_change', counts: { unchanged: 11 } });
    expect(await bed.app.catalog.listTemplates()).toEqual(before);
  });
});
