import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test/eventually.js';
import { bearer, createSyncHttpKit, type HttpKit } from '../http/http.test-kit.js';
import { addSimModule } from '../sync/sync.test-kit.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import type { OrderCheckResult } from './order-check.service.js';
import { createHostClient, type HostClient } from './provisioning.test-kit.js';

/**
 * The whole way a storefront goes, against the simulator: the tariff's OS list, the order check,
 * then `POST /vm/v3/host` on VMmanager with the ids the check returned.
 */
describe('provisioning from the order check', () => {
  let kit: HttpKit;
  let sim: VmmanagerSimulator;
  let vm: HostClient;
  let moduleId: number;
  let tariffId: number;
  const sizes = { diskMib: 20480, ramMib: 1024 };

  beforeAll(async () => {
    sim = await startVmmanagerSimulator();
    kit = await createSyncHttpKit();
    vm = await createHostClient(sim);
    moduleId = (await addSimModule(kit.app, sim, 'msk', { clusterId: 1 })).id;
    tariffId = (
      await kit.app.tariffs.createTariff({ name: 'VPS 20G', ...sizes, moduleIds: [moduleId] }, 'test')
    ).id;
    expect((await kit.app.sync.runSync(moduleId, { trigger: 'initial' })).outcome).toBe('applied');
  });
  afterAll(async () => {
    await kit?.app.sync.close();
    await kit?.close();
    await sim?.close();
  });

  const osList = async (purpose = 'order') =>
    (
      await kit.server.inject({
        method: 'GET',
        url: `/api/v1/storefront/tariffs/${tariffId}/os?purpose=${purpose}`,
        headers: bearer(kit.storefrontToken),
      })
    ).json<{ items: { internalName: string }[] }>().items;
  const check = async (internalName: string, extra: object = {}) =>
    (
      await kit.server.inject({
        method: 'POST',
        url: '/api/v1/storefront/orders/check',
        headers: bearer(kit.storefrontToken),
        payload: { tariffId, internalName, ...extra },
      })
    ).json<OrderCheckResult>();

  it('creates a VM in VMmanager for every template on the list, with the ids the check returned', async () => {
    const items = await osList();
    expect(items.length).toBeGreaterThan(5);
    for (const { internalName } of items) {
      const result = await check(internalName);
      expect(result, internalName).toMatchObject({ orderable: true, clusterId: 1 });
      if (!result.orderable) continue;
      expect(await vm.createFromPlacement(result, sizes), internalName).toMatchObject({ created: true });
    }
    const created = sim.hosts.list();
    expect(created).toHaveLength(items.length);
    expect(created.every((h) => h.cluster === 1 && h.hdd_mib === sizes.diskMib)).toBe(true);
  });

  it('leaves out what VMmanager would refuse at the tariff’s sizes, and the check says why', async () => {
    const names = (await osList()).map((i) => i.internalName);
    // Windows Server 2022 needs 40 GiB and 2 GiB: the check and VMmanager both refuse it here.
    expect(names).not.toContain('ISPsystem__Windows Server 2022');
    expect(await check('ISPsystem__Windows Server 2022')).toEqual({
      orderable: false,
      reason: 'disk_too_small',
    });
    expect(await vm.createHost(8213, 1, sizes)).toMatchObject({ created: false, reason: 'hdd_too_small' });
    // With the sizes it needs, the customer may order it, and VMmanager builds it.
    const big = { diskMib: 40960, ramMib: 2048 };
    const result = await check('ISPsystem__Windows Server 2022', big);
    expect(result).toMatchObject({ orderable: true, upstreamId: 8213 });
    if (result.orderable) expect(await vm.createFromPlacement(result, big)).toMatchObject({ created: true });
  });

  it('a deprecated template is still reinstalled where the check says', async () => {
    const rocky = await kit.app.tariffs.listOrderableTemplates(tariffId);
    const rocky8 = rocky.find((t) => t.internalName === 'ISPsystem__Rocky Linux 8')!;
    await kit.app.lifecycle.deprecateTemplate(rocky8.id, {}, 'admin:a@example.test');
    expect(await check(rocky8.internalName)).toMatchObject({ orderable: false, reason: 'deprecated' });
    const result = await check(rocky8.internalName, { purpose: 'reinstall' });
    expect(result).toMatchObject({ orderable: true, upstreamId: 8204, clusterId: 1 });
    if (result.orderable)
      expect(await vm.createFromPlacement(result, sizes)).toMatchObject({ created: true });
  });

  it('after the template is removed upstream and a sync runs, the check refuses it, as VMmanager does', async () => {
    const before = await check('ISPsystem__Debian 12');
    expect(before).toMatchObject({ orderable: true, upstreamId: 8206 });
    sim.state.removeTemplate(8206);
    // Until the sync the catalog cannot know; VMmanager already refuses.
    expect(await vm.createHost(8206, 1, sizes)).toMatchObject({ created: false, reason: 'os_not_found' });
    expect((await kit.app.sync.runSync(moduleId, { trigger: 'manual' })).counts.disconnected).toBe(1);
    expect(await check('ISPsystem__Debian 12')).toEqual({ orderable: false, reason: 'not_connected' });
    await eventually(async () =>
      expect((await osList()).map((i) => i.internalName)).not.toContain('ISPsystem__Debian 12'),
    );
    // The reinstall list drops it too: nothing can be built from it any more.
    expect((await osList('reinstall')).map((i) => i.internalName)).not.toContain('ISPsystem__Debian 12');
  });

  it('after a template moves to another cluster, the check no longer places it on the old one', async () => {
    sim.state.moveTemplate(8211, [2]);
    expect(await vm.createHost(8211, 1, sizes)).toMatchObject({
      created: false,
      reason: 'os_not_on_cluster',
    });
    await kit.app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(await check('ISPsystem__Oracle Linux 9')).toEqual({ orderable: false, reason: 'not_connected' });
  });
});
