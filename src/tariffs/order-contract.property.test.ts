import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import type { NotOrderableReason } from '../catalog/catalog.schema.js';
import { addSimModule, createSyncApp } from '../sync/sync.test-kit.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { checkHostRequest } from '../vmmanager6/simulator/sim-hosts.js';
import type { SimOsItem } from '../vmmanager6/simulator/sim-types.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import {
  initialArbitrary,
  isAdminStep,
  stepsArbitrary,
  type AdminStep,
  type Step,
  type UpstreamStep,
} from './order-contract.test-kit.js';
import {
  createHostClient,
  placementsOf,
  type HostClient,
  type OrderedSizes,
} from './provisioning.test-kit.js';

/**
 * The order contract as a property: after any sequence of VMmanager changes, admin decisions and
 * syncs, right after each sync, (1) every order the check accepts is accepted by VMmanager's
 * `POST /vm/v3/host` (the simulator) with the ids it returned, on every cluster it names, and
 * (2) every template VMmanager would accept on one of a tariff's clusters at the tariff's disk and
 * RAM is offered, unless an admin decision or the lifecycle says no, and then with that reason.
 * The storefront list says the same as the check. Reproduce a failure with FC_SEED=<seed>.
 */

interface Decisions {
  disabled: boolean;
  lifecycle: 'active' | 'deprecating' | 'deprecated';
  offOnTariffs: Set<number>;
}
interface RunTariff {
  id: number;
  sizes: OrderedSizes;
  /** The clusters its modules build on: module A is on cluster 1, module B on any. */
  clusters: number[];
}

let database: TestDatabase;
let sim: VmmanagerSimulator;
let app: App;
let vm: HostClient;
let run = 0;
// Upstream ids are never reused (a reused id would be a rename candidate, held for an admin).
let nextUpstreamId = 20_000;
const eolAhead = '2099-01-01T00:00:00Z';
// How often each kind of answer came up over all runs, so a vacuous property fails too.
const seen = { built: 0, refusedByAdmin: 0, refusedByVmmanager: 0 };

beforeAll(async () => {
  database = await createTestDatabase();
  sim = await startVmmanagerSimulator({ seed: 'empty' });
  app = createSyncApp(database);
  vm = await createHostClient(sim);
});
afterAll(async () => {
  await app?.sync.close();
  await sim?.close();
  await database?.close();
});

/** One run's world: fresh repository names keep its templates apart from earlier runs'. */
async function startRun(initial: UpstreamStep[]) {
  run += 1;
  const prefix = `P${run}`;
  sim.state.reset('empty');
  sim.state.renameRepository(1, prefix);
  sim.state.renameRepository(2, `${prefix} LXD`);
  // Never touched: VMmanager never lists nothing, which the sync's outage guard would hold.
  sim.state.addTemplate({
    id: nextUpstreamId++,
    name: 'Anchor',
    clusterIds: [1, 2],
    hddMibRequired: 1024,
    minRamMib: 256,
  });
  for (const step of initial) applyUpstream(step);
  const options = { newTemplatePolicy: 'enable' as const, guardMaxDisconnectShare: 1 };
  const a = await addSimModule(app, sim, `A${run}`, { clusterId: 1, ...options });
  const b = await addSimModule(app, sim, `B${run}`, { clusterId: null, ...options });
  const tariffs: RunTariff[] = [];
  for (const [name, moduleIds, clusters] of [
    ['small', [a.id], [1]],
    ['both', [a.id, b.id], [1, 2, 3]],
  ] as const) {
    const sizes = { diskMib: 20480, ramMib: 1024 };
    const tariff = await app.tariffs.createTariff(
      { name: `${name}-${run}`, ...sizes, moduleIds: [...moduleIds] },
      'test',
    );
    tariffs.push({ id: tariff.id, sizes, clusters: [...clusters] });
  }
  return { prefix, moduleIds: [a.id, b.id], tariffs, decisions: new Map<string, Decisions>() };
}
type Run = Awaited<ReturnType<typeof startRun>>;

const changeable = (): SimOsItem[] => sim.state.listTemplates().filter((t) => t.name !== 'Anchor');
const pick = <T>(items: T[], at: number): T | undefined => items[at % Math.max(items.length, 1)];

function applyUpstream(step: UpstreamStep): void {
  if (step.kind === 'add') {
    const id = nextUpstreamId++;
    sim.state.addTemplate({
      id,
      name: `Gen ${id}`,
      repositoryId: step.lxd ? 2 : 1,
      isLxdImage: step.lxd,
      clusterIds: step.clusters,
      state: step.state,
      adminonly: step.adminonly,
      hddMibRequired: step.hdd,
      minRamMib: step.ram,
    });
    return;
  }
  const template = pick(changeable(), step.at);
  if (!template) return;
  if (step.kind === 'remove') sim.state.removeTemplate(template.id);
  else if (step.kind === 'move') sim.state.moveTemplate(template.id, step.clusters);
  else if (step.kind === 'state') sim.state.updateTemplate(template.id, { state: step.state });
  else if (step.kind === 'adminonly') sim.state.updateTemplate(template.id, { adminonly: step.adminonly });
  else if (step.kind === 'min_disk') sim.state.updateTemplate(template.id, { hddMibRequired: step.hdd });
  else sim.state.updateTemplate(template.id, { minRamMib: step.ram });
}

const catalogOf = async (r: Run) =>
  (await app.catalog.listTemplates()).filter(
    (t) => t.internalName.startsWith(`${r.prefix}__`) || t.internalName.startsWith(`${r.prefix} LXD__`),
  );

async function applyAdmin(r: Run, step: AdminStep): Promise<void> {
  if (step.kind === 'tariff_sizes') {
    const tariff = r.tariffs[step.tariff]!;
    tariff.sizes = { diskMib: step.disk, ramMib: step.ram };
    await app.tariffs.updateTariff(tariff.id, tariff.sizes, 'test');
    return;
  }
  const template = pick(await catalogOf(r), step.at);
  if (!template) return;
  const decided = r.decisions.get(template.internalName) ?? {
    disabled: false,
    lifecycle: 'active',
    offOnTariffs: new Set<number>(),
  };
  r.decisions.set(template.internalName, decided);
  if (step.kind === 'disable') {
    await app.catalog.setTemplateDisabled(template.id, step.disabled, 'test');
    decided.disabled = step.disabled;
  } else if (step.kind === 'on_tariff') {
    await app.catalog.setTemplateOnTariffs(template.id, [r.tariffs[step.tariff]!.id], step.enabled, 'test');
    if (step.enabled) decided.offOnTariffs.delete(step.tariff);
    else decided.offOnTariffs.add(step.tariff);
  } else if (step.kind === 'deprecate') {
    const after = await app.lifecycle.deprecateTemplate(
      template.id,
      step.eolAhead ? { eolAt: eolAhead } : {},
      'test',
    );
    decided.lifecycle = step.eolAhead ? 'deprecating' : 'deprecated';
    expect(after.lifecycle).toBe(decided.lifecycle);
  } else if (decided.lifecycle !== 'active') {
    await app.lifecycle.undeprecateTemplate(template.id, 'test');
    decided.lifecycle = 'active';
  }
}

// What the admin's decisions say for a template on a tariff, in the rule's order; null: nothing.
const adminNo = (r: Run, name: string, tariff: number): NotOrderableReason | null => {
  const d = r.decisions.get(name);
  if (d?.disabled) return 'disabled';
  if (d?.lifecycle === 'deprecated') return 'deprecated';
  if (d?.offOnTariffs.has(tariff)) return 'not_enabled';
  return null;
};

const hostBody = (os: number, cluster: number, sizes: OrderedSizes) => ({
  name: 'probe',
  os,
  cluster,
  ram_mib: sizes.ramMib,
  hdd_mib: sizes.diskMib,
});

/** Syncs both modules, then checks both halves of the contract on both tariffs. */
async function syncAndVerify(r: Run): Promise<void> {
  for (const moduleId of r.moduleIds) {
    const result = await app.sync.runSync(moduleId, { trigger: 'manual' });
    expect(['applied', 'no_change'], `sync of module ${moduleId}`).toContain(result.outcome);
  }
  const data = sim.state.snapshot();
  const upstreamByName = new Map(data.templates.map((t) => [`${t.repository}__${t.name}`, t]));
  const names = new Set([...(await catalogOf(r)).map((t) => t.internalName), ...upstreamByName.keys()]);
  const failures: string[] = [];
  for (const [k, tariff] of r.tariffs.entries()) {
    const listed = new Set((await app.tariffs.listOrderableTemplates(tariff.id)).map((t) => t.internalName));
    for (const name of names) {
      const result = await app.orders.checkOrder({ tariffId: tariff.id, internalName: name });
      const where = `${name} on tariff ${k} (${JSON.stringify(tariff.sizes)})`;
      if (listed.has(name) !== result.orderable) failures.push(`${where}: the list and the check disagree`);
      // No false yes: VMmanager builds it where the check says, and no admin decision says no.
      for (const placement of placementsOf(result))
        for (const cluster of placement.clusterIds) {
          const host = await vm.createHost(placement.upstreamId, cluster, tariff.sizes);
          if (host.created) seen.built += 1;
          else failures.push(`${where}: offered, VMmanager refuses on ${cluster}: ${host.reason}`);
        }
      const expected = adminNo(r, name, k);
      if (result.orderable && expected !== null)
        failures.push(`${where}: offered against the admin's ${expected}`);
      // No false no: what VMmanager would build on one of the tariff's clusters is offered.
      const upstream = upstreamByName.get(name);
      const accepted =
        upstream !== undefined &&
        tariff.clusters.some(
          (c) => !('status' in checkHostRequest(data, hostBody(upstream.id, c, tariff.sizes))),
        );
      const reason = result.orderable ? null : result.reason;
      if (accepted && expected !== null) seen.refusedByAdmin += 1;
      if (!accepted && upstream !== undefined) seen.refusedByVmmanager += 1;
      if (accepted && reason !== expected)
        failures.push(
          `${where}: VMmanager would build it; expected ${expected ?? 'offered'}, got ${reason ?? 'offered'}`,
        );
    }
  }
  expect(failures).toEqual([]);
}

async function runSequence(initial: UpstreamStep[], steps: Step[]): Promise<void> {
  const r = await startRun(initial);
  await syncAndVerify(r);
  for (const step of steps) {
    if (step.kind === 'sync') await syncAndVerify(r);
    else if (isAdminStep(step)) await applyAdmin(r, step);
    else applyUpstream(step);
  }
  await syncAndVerify(r);
}

describe('the order contract', () => {
  it('right after every sync: no order the check accepts is refused by VMmanager, none VMmanager would build is refused without an admin reason', async () => {
    // A fixed default seed: with a random one, 12 runs sometimes never hit an admin refusal and
    // the coverage check below failed by chance (seen in CI). FC_SEED explores other sequences.
    const seed = Number(process.env.FC_SEED ?? 20261201);
    await fc.assert(fc.asyncProperty(initialArbitrary, stepsArbitrary, runSequence), { numRuns: 12, seed });
    expect(
      Object.values(seen).every((n) => n > 0),
      JSON.stringify(seen),
    ).toBe(true);
  }, 180_000);
});
