import { describe, expect, it } from 'vitest';
import { addSimModule } from './sync.test-kit.js';
import { useSyncTestbed } from './sync.test-helpers.js';

// Which templates a module offers: not-active ones kept but unavailable, NoOS, KVM and LXD.
const bed = useSyncTestbed();

const orderable = async (tariffId: number) =>
  (await bed.app.tariffs.listOrderableTemplates(tariffId)).map((t) => t.internalName);

const valueNamed = async (internalName: string) => {
  const found = (await bed.app.catalog.listTemplates()).find((t) => t.internalName === internalName);
  if (!found) throw new Error(`no template ${internalName}`);
  return bed.app.catalog.getTemplate(found.id);
};

async function moduleWithTariff(
  name: string,
  clusterId: number | null,
  extra: { includeNoOs?: boolean } = {},
) {
  const module = await addSimModule(bed.app, bed.sim, name, { clusterId });
  if (extra.includeNoOs) await bed.app.modules.updateModule(module.id, { includeNoOs: true }, 'test');
  const tariff = await bed.app.tariffs.createTariff({ name: `VPS ${name}`, moduleIds: [module.id] }, 'test');
  return { moduleId: module.id, tariffId: tariff.id };
}

const debian = 'ISPsystem__Debian 12';

describe('a template VMmanager lists but not as active', () => {
  it('switching to updating and back is not offered meanwhile and causes no disconnect or connect', async () => {
    const { moduleId, tariffId } = await moduleWithTariff('msk', 1);
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(await orderable(tariffId)).toContain(debian);

    bed.sim.state.updateTemplate(8206, { state: 'updating' });
    const away = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(away).toMatchObject({
      outcome: 'applied',
      counts: { disconnected: 0, connected: 0, unavailable: 2 },
    });
    expect(away.diff?.unavailable.find((u) => u.internalName === debian)).toMatchObject({
      reason: 'state updating',
      changed: true,
    });
    expect(away.diff?.impact).toEqual([
      expect.objectContaining({ tariffId, lost: 1, lostTemplates: [debian] }),
    ]);
    expect(await orderable(tariffId)).not.toContain(debian);
    const link = (await valueNamed(debian)).modules[0]!;
    expect(link).toMatchObject({ connected: true, available: false, unavailableReason: 'state updating' });
    expect(await bed.app.orders.checkOrder({ tariffId, internalName: debian })).toEqual({
      orderable: false,
      reason: 'unavailable',
    });

    const still = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(still.outcome).toBe('no_change');

    bed.sim.state.updateTemplate(8206, { state: 'active' });
    const back = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(back).toMatchObject({ outcome: 'applied', counts: { disconnected: 0, connected: 0, updated: 1 } });
    expect(back.diff?.update[0]?.changes).toEqual({ available: { from: false, to: true } });
    expect(await orderable(tariffId)).toContain(debian);
    const runs = await bed.app.sync.listSyncRuns({ moduleId });
    expect(runs.every((r) => r.counts.disconnected === 0 && r.counts.connected === 0)).toBe(true);
    expect(runs.map((r) => r.outcome)).not.toContain('held');
    const audit = await bed.app.audit.listAudit({ objectType: 'template' });
    expect(audit).toEqual([]);
  });

  it('is neither added nor connected while it is not active', async () => {
    const { moduleId } = await moduleWithTariff('msk', 1);
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    expect(run.diff?.unavailable).toEqual([
      {
        valueId: null,
        internalName: 'ISPsystem__Ubuntu 20.04',
        upstreamId: 8210,
        reason: 'state updating',
        changed: false,
      },
    ]);
    expect((await bed.app.catalog.listTemplates()).map((t) => t.internalName)).not.toContain(
      'ISPsystem__Ubuntu 20.04',
    );
    bed.sim.state.updateTemplate(8210, { state: 'active' });
    const later = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(later.diff?.add.map((a) => a.internalName)).toEqual(['ISPsystem__Ubuntu 20.04']);
  });

  it('whose clusters VMmanager does not say stays connected but is not offered', async () => {
    const { moduleId, tariffId } = await moduleWithTariff('msk', 1);
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    bed.sim.state.updateTemplate(8206, { shape: 'clusters_null' });
    const run = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(run.counts.disconnected).toBe(0);
    expect(run.diff?.unavailable.find((u) => u.internalName === debian)?.reason).toMatch(/did not say/);
    expect(await orderable(tariffId)).not.toContain(debian);
  });

  it('stays connected when a held plan is applied', async () => {
    const { moduleId } = await moduleWithTariff('msk', 1);
    await bed.app.sync.runSync(moduleId, { trigger: 'initial' });
    bed.sim.state.updateTemplate(8206, { state: 'updating' });
    for (const id of [8201, 8202, 8203, 8204, 8205, 8208, 8209]) bed.sim.state.removeTemplate(id);
    const held = await bed.app.sync.runSync(moduleId, { trigger: 'schedule' });
    expect(held.guardReason).toBe('too_many_disconnects');
    const applied = await bed.app.sync.applyHeldRun(held.runId, 'admin:a@example.test');
    expect(applied.diff?.disconnect.map((d) => d.internalName)).not.toContain(debian);
    expect((await valueNamed(debian)).modules[0]).toMatchObject({ connected: true, available: false });
  });
});

describe('NoOS', () => {
  it('is never offered by default, and a module setting includes it', async () => {
    const plain = await moduleWithTariff('msk', 1);
    const withNoOs = await moduleWithTariff('ams', 2, { includeNoOs: true });
    await bed.app.sync.runSync(plain.moduleId, { trigger: 'initial' });
    await bed.app.sync.runSync(withNoOs.moduleId, { trigger: 'initial' });
    expect(await orderable(plain.tariffId)).not.toContain('local__NoOS');
    expect(await orderable(withNoOs.tariffId)).toContain('local__NoOS');

    await bed.app.modules.updateModule(withNoOs.moduleId, { includeNoOs: false }, 'test');
    const run = await bed.app.sync.runSync(withNoOs.moduleId, { trigger: 'schedule' });
    expect(run.diff?.disconnect.map((d) => d.internalName)).toEqual(['local__NoOS']);
    expect(await orderable(withNoOs.tariffId)).not.toContain('local__NoOS');
  });
});

describe('KVM and LXD', () => {
  const lxdImages = ['ISPsystem LXD__AlmaLinux 9', 'ISPsystem LXD__Debian 12', 'ISPsystem LXD__Ubuntu 22.04'];

  it('offers LXD images only on an LXD cluster and KVM templates only on KVM clusters', async () => {
    const kvm = await moduleWithTariff('ams', 2);
    const lxd = await moduleWithTariff('ams-lxd', 3);
    bed.sim.state.addTemplate({
      id: 9100,
      name: 'Rogue',
      repositoryId: 2,
      clusterIds: [2, 3],
      isLxdImage: true,
    });
    await bed.app.sync.runSync(kvm.moduleId, { trigger: 'initial' });
    await bed.app.sync.runSync(lxd.moduleId, { trigger: 'initial' });
    expect((await orderable(lxd.tariffId)).sort()).toEqual([...lxdImages, 'ISPsystem LXD__Rogue'].sort());
    const onKvm = await orderable(kvm.tariffId);
    expect(onKvm).toContain(debian);
    expect(onKvm.filter((name) => name.startsWith('ISPsystem LXD__'))).toEqual([]);
  });

  it('a module without a cluster offers each where it fits one of its clusters, and records where', async () => {
    const any = await moduleWithTariff('any', null);
    await bed.app.sync.runSync(any.moduleId, { trigger: 'initial' });
    const names = await orderable(any.tariffId);
    for (const name of [...lxdImages, debian, 'ISPsystem__Debian 11']) expect(names).toContain(name);
    expect((await valueNamed('ISPsystem LXD__Debian 12')).modules[0]).toMatchObject({
      upstreamId: 8302,
      clusterIds: [3],
      virtualization: 'lxd',
    });
    expect((await valueNamed(debian)).modules[0]).toMatchObject({
      upstreamId: 8206,
      clusterIds: [1, 2],
      virtualization: 'kvm',
    });
  });
});
