import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotOrderableReason } from '../catalog/catalog.schema.js';
import { bearer, createHttpKit, type HttpKit } from '../http/http.test-kit.js';
import { computeImpact } from '../sync/sync.impact.js';
import type { PlannedAdd, SyncPlan } from '../sync/sync.plan.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import { tariffTemplateSettings } from './tariffs.tables.js';

type Decision = 'default' | 'enabled' | 'disabled';
// Connected to: a module of the tariff, the same but listed as unavailable there (e.g. VMmanager
// updates it), a disabled module of the tariff, a module the tariff does not use, or none.
type Connection = 'tariff_module' | 'unavailable' | 'disabled_module' | 'other_module' | 'none';
// The template's minimum disk and RAM against the tariff's: both fit (exactly: a minimum equal
// to the tariff's size fits, so a `>=` slipped into one implementation fails), both unknown, both
// above (the disk is the reason: it is checked first), or only the RAM above.
type Size = 'fits' | 'unknown' | 'both_above' | 'ram_above';

interface Case {
  decision: Decision;
  awaitingReview: boolean;
  globallyDisabled: boolean;
  retired: boolean;
  deprecated: boolean;
  connection: Connection;
  size: Size;
}

const tariffDisk = 20480;
const tariffRam = 1024;
const customerDisk = 81920;
const customerRam = 8192;
const minimumsOf = {
  fits: { minDiskMib: tariffDisk, minRamMib: tariffRam },
  unknown: { minDiskMib: null, minRamMib: null },
  both_above: { minDiskMib: 40960, minRamMib: 2048 },
  ram_above: { minDiskMib: 10240, minRamMib: 2048 },
} as const;

const cases: Case[] = [];
for (const decision of ['default', 'enabled', 'disabled'] as const)
  for (const awaitingReview of [false, true])
    for (const globallyDisabled of [false, true])
      for (const retired of [false, true])
        for (const deprecated of [false, true])
          for (const connection of [
            'tariff_module',
            'unavailable',
            'disabled_module',
            'other_module',
            'none',
          ] as const)
            for (const size of ['fits', 'unknown', 'both_above', 'ram_above'] as const)
              cases.push({
                decision,
                awaitingReview,
                globallyDisabled,
                retired,
                deprecated,
                connection,
                size,
              });

// The rule written out from the seed, independently of both implementations: the first condition
// that fails, or null.
const expectedReason = (
  c: Case,
  disk = tariffDisk,
  ram = tariffRam,
  purpose: 'order' | 'reinstall' = 'order',
): NotOrderableReason | null => {
  if (c.retired) return 'retired';
  if (c.globallyDisabled) return 'disabled';
  if (c.deprecated && purpose === 'order') return 'deprecated';
  if (c.decision === 'disabled') return 'not_enabled';
  if (c.decision === 'default' && c.awaitingReview) return 'awaiting_review';
  if (c.connection === 'unavailable') return 'unavailable';
  if (c.connection !== 'tariff_module') return 'not_connected';
  const { minDiskMib, minRamMib } = minimumsOf[c.size];
  if (minDiskMib !== null && minDiskMib > disk) return 'disk_too_small';
  if (minRamMib !== null && minRamMib > ram) return 'ram_too_small';
  return null;
};

const nameOf = (c: Case, i: number) =>
  `ISPsystem__T${String(i).padStart(3, '0')}-${c.decision}-${c.awaitingReview}-${c.globallyDisabled}-` +
  `${c.retired}-${c.deprecated}-${c.connection}-${c.size}`;

const planOf = (part: Partial<SyncPlan>): SyncPlan => ({
  add: [],
  connect: [],
  update: [],
  disconnect: [],
  unavailable: [],
  unchanged: 0,
  renameCandidates: [],
  duplicates: [],
  skipped: [],
  impact: [],
  guard: null,
  ...part,
});

/**
 * Every place that answers "can this template be ordered on this tariff" must give the same
 * answer: the storefront list, the admin list's status and the order check (SQL,
 * `orderabilityOf`), the template's detail and the sync's impact report (TypeScript,
 * `decideOrderable`). Changing either implementation alone fails this test.
 */
describe('the orderable rule, everywhere it is answered', () => {
  let kit: HttpKit;
  let app: TestApp;
  let tariffId: number;
  let servedId: number;
  let offId: number;
  let ids: number[];

  beforeAll(async () => {
    kit = await createHttpKit();
    app = kit.app;
    const served = await addTestModule(app, 'served');
    const off = await addTestModule(app, 'off');
    await app.modules.setModuleEnabled(off.id, false, 'test');
    const other = await addTestModule(app, 'other');
    servedId = served.id;
    offId = off.id;
    tariffId = (
      await app.tariffs.createTariff(
        { name: 'T', diskMib: tariffDisk, ramMib: tariffRam, moduleIds: [served.id, off.id] },
        'test',
      )
    ).id;
    ids = await insertTemplates(
      app.db,
      cases.map((c, i) => ({
        internalName: nameOf(c, i),
        awaitingReview: c.awaitingReview,
        disabled: c.globallyDisabled,
        retiredAt: c.retired ? new Date('2026-01-01T00:00:00Z') : null,
        deprecatedAt: c.deprecated ? new Date('2026-01-01T00:00:00Z') : null,
        ...minimumsOf[c.size],
      })),
    );
    const moduleOf = { tariff_module: served.id, disabled_module: off.id, other_module: other.id };
    for (const [connection, moduleId] of Object.entries(moduleOf))
      await connectTemplates(
        app.db,
        moduleId,
        ids.filter((_, i) => cases[i]!.connection === connection),
      );
    const unavailable = ids.filter((_, i) => cases[i]!.connection === 'unavailable');
    await connectTemplates(app.db, served.id, unavailable, true, false);
    await app.db
      .insert(tariffTemplateSettings)
      .values(
        cases.flatMap((c, i) =>
          c.decision === 'default'
            ? []
            : [{ tariffId, valueId: ids[i]!, enabled: c.decision === 'enabled', decidedBy: 'test' }],
        ),
      );
  });

  afterAll(async () => kit?.close());

  const storefrontList = async (purpose: 'order' | 'reinstall' = 'order') => {
    const res = await kit.server.inject({
      method: 'GET',
      url: `/api/v1/storefront/tariffs/${tariffId}/os?purpose=${purpose}`,
      headers: bearer(kit.storefrontToken),
    });
    return new Set(res.json<{ items: { internalName: string }[] }>().items.map((t) => t.internalName));
  };

  const orderCheck = async (
    internalName: string,
    sizes: { diskMib?: number; ramMib?: number; purpose?: 'order' | 'reinstall' } = {},
  ) => {
    const res = await kit.server.inject({
      method: 'POST',
      url: '/api/v1/storefront/orders/check',
      headers: bearer(kit.storefrontToken),
      payload: { tariffId, internalName, ...sizes },
    });
    const body = res.json<{ orderable: boolean; reason?: NotOrderableReason }>();
    return body.orderable ? null : body.reason;
  };

  // Whether the impact report says the template is orderable on the tariff once the served
  // module has it connected and available: a disconnect of a connected one loses it, a connect of
  // another gains it, and so does one that becomes available again.
  const impactWhenServed = async (c: Case, i: number) => {
    const value = { valueId: ids[i]!, internalName: nameOf(c, i) };
    const placement = { upstreamId: i + 1, clusterIds: [], virtualization: null };
    const connected = c.connection === 'tariff_module';
    const plan = connected
      ? planOf({ disconnect: [value] })
      : c.connection === 'unavailable'
        ? planOf({ update: [{ ...value, changes: { available: { from: false, to: true } }, placement }] })
        : planOf({ connect: [{ ...value, upstreamId: i + 1, changes: {}, placement }] });
    const entry = (await computeImpact(app.db, servedId, plan)).find((t) => t.tariffId === tariffId);
    return connected ? (entry?.lost ?? 0) === 1 : (entry?.gained ?? 0) === 1;
  };

  it(`gives one answer on every case of the truth table (${cases.length} cases)`, async () => {
    const listed = await storefrontList();
    const statusById = new Map(
      (await app.catalog.listTemplates({ includeRetired: true })).map((t) => [t.id, t.status]),
    );
    const disagreements = [];
    for (const [i, c] of cases.entries()) {
      const name = nameOf(c, i);
      const expected = expectedReason(c);
      const detail = await app.catalog.getTemplate(ids[i]!);
      const link = detail.tariffs.find((t) => t.tariffId === tariffId)!;
      const orderable = expected === null;
      const answers = {
        storefrontList: listed.has(name) === orderable,
        listStatus: statusById.get(ids[i]!) === (orderable ? 'all' : 'none'),
        detailReason: link.reason === expected && link.orderable === orderable,
        detailStatus: detail.status === (orderable ? 'all' : 'none'),
        orderCheck: (await orderCheck(name)) === expected,
        impactReport:
          (await impactWhenServed(c, i)) === (expectedReason({ ...c, connection: 'tariff_module' }) === null),
      };
      const wrong = Object.entries(answers).filter(([, agrees]) => !agrees);
      if (wrong.length > 0) disagreements.push({ name, expected, wrong: wrong.map(([where]) => where) });
    }
    expect(disagreements).toEqual([]);
  });

  it('answers reinstalls by the same rule, deprecated templates allowed: the reinstall list and the check agree', async () => {
    const listed = await storefrontList('reinstall');
    const disagreements = [];
    for (const [i, c] of cases.entries()) {
      const expected = expectedReason(c, tariffDisk, tariffRam, 'reinstall');
      const checked = await orderCheck(nameOf(c, i), { purpose: 'reinstall' });
      if (checked !== expected || listed.has(nameOf(c, i)) !== (expected === null))
        disagreements.push({ name: nameOf(c, i), expected, checked });
    }
    expect(disagreements).toEqual([]);
    expect(
      cases.some((c) => c.deprecated && expectedReason(c, tariffDisk, tariffRam, 'reinstall') === null),
    ).toBe(true);
  });

  it.each([
    ['disk', { diskMib: customerDisk }, customerDisk, tariffRam],
    ['RAM', { ramMib: customerRam }, tariffDisk, customerRam],
    ['disk and RAM', { diskMib: customerDisk, ramMib: customerRam }, customerDisk, customerRam],
  ] as const)(
    "applies a customer-chosen %s instead of the tariff's, in the admin list and the order check",
    async (_, sizes, disk, ram) => {
      const listed = new Set(
        (await app.tariffs.listOrderableTemplates(tariffId, sizes)).map((t) => t.internalName),
      );
      const disagreements = [];
      // Deprecation is orthogonal to sizes: the active half of the table is enough here.
      for (const [i, c] of cases.entries()) {
        if (c.deprecated) continue;
        const expected = expectedReason(c, disk, ram);
        const checked = await orderCheck(nameOf(c, i), sizes);
        if (checked !== expected || listed.has(nameOf(c, i)) !== (expected === null))
          disagreements.push({ name: nameOf(c, i), expected, checked });
      }
      expect(disagreements).toEqual([]);
      // The customer's size changes the answer somewhere (e.g. disk_too_small becomes ram_too_small).
      expect(cases.some((c) => expectedReason(c) !== expectedReason(c, disk, ram))).toBe(true);
    },
  );

  it('predicts for new templates exactly what the storefront lists once a sync adds them', async () => {
    const adds: PlannedAdd[] = [];
    for (const awaitingReview of [false, true])
      for (const size of ['fits', 'unknown', 'both_above', 'ram_above'] as const)
        adds.push({
          internalName: `New__${awaitingReview ? 'held' : 'offered'}-${size}`,
          displayName: 'New',
          ...minimumsOf[size],
          osGroup: null,
          tags: [],
          sort: 1,
          upstreamId: 1,
          clusterIds: [],
          virtualization: null,
          awaitingReview,
        });
    for (const moduleId of [servedId, offId]) {
      const predicted = (await computeImpact(app.db, moduleId, planOf({ add: adds }))).find(
        (t) => t.tariffId === tariffId,
      );
      // The list the storefront serves, read past its cache (which a NOTIFY empties later).
      const listed = async () =>
        (await app.tariffs.listOrderableTemplates(tariffId)).map((t) => t.internalName);
      const before = new Set(await listed());
      const added = await insertTemplates(
        app.db,
        adds.map((a) => ({ ...a, internalName: `${a.internalName}-${moduleId}` })),
      );
      await connectTemplates(app.db, moduleId, added);
      const gained = (await listed()).filter((name) => !before.has(name));
      expect(gained.map((name) => name.replace(/-\d+$/, ''))).toEqual(predicted?.gainedTemplates ?? []);
      if (moduleId === servedId) expect(gained.length).toBeGreaterThan(0);
    }
  });
});

describe('which module builds a template', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it('is the lowest-sort module of the tariff that has it connected, skipping disabled modules', async () => {
    const late = await addTestModule(app, 'late', { sort: 20 });
    const early = await addTestModule(app, 'early', { sort: 10 });
    const elsewhere = await addTestModule(app, 'elsewhere', { sort: 1 });
    const tariff = await app.tariffs.createTariff({ name: 'both', moduleIds: [late.id, early.id] }, 'test');
    const [both, onlyLate, onlyElsewhere] = await insertTemplates(app.db, [
      { internalName: 'R__both' },
      { internalName: 'R__only-late' },
      { internalName: 'R__only-elsewhere' },
    ]);
    await connectTemplates(app.db, late.id, [both!, onlyLate!]);
    await connectTemplates(app.db, early.id, [both!]);
    await connectTemplates(app.db, elsewhere.id, [both!, onlyElsewhere!]);

    const list = await app.tariffs.listOrderableTemplates(tariff.id);
    expect(list.map((t) => [t.internalName, t.moduleName])).toEqual([
      ['R__both', 'early'],
      ['R__only-late', 'late'],
    ]);

    await app.modules.setModuleEnabled(early.id, false, 'test');
    const after = await app.tariffs.listOrderableTemplates(tariff.id);
    expect(after.map((t) => [t.internalName, t.moduleName])).toEqual([
      ['R__both', 'late'],
      ['R__only-late', 'late'],
    ]);
  });

  it('is one that has it available, before a lower-sort one where VMmanager lists it unavailable', async () => {
    const early = await addTestModule(app, 'updating', { sort: 1 });
    const late = await addTestModule(app, 'ready', { sort: 50 });
    const tariff = await app.tariffs.createTariff({ name: 'avail', moduleIds: [early.id, late.id] }, 'test');
    const [value] = await insertTemplates(app.db, [{ internalName: 'A__updating-early' }]);
    await connectTemplates(app.db, early.id, [value!], true, false);
    await connectTemplates(app.db, late.id, [value!]);
    const list = await app.tariffs.listOrderableTemplates(tariff.id);
    expect(list.map((t) => [t.internalName, t.moduleName])).toEqual([['A__updating-early', 'ready']]);
  });

  it('orders by sort, then by name', async () => {
    const module = await addTestModule(app, 'sorter');
    const tariff = await app.tariffs.createTariff({ name: 'sorted', moduleIds: [module.id] }, 'test');
    const ids = await insertTemplates(app.db, [
      { internalName: 'S__b', displayName: 'Beta', sort: 5 },
      { internalName: 'S__a', displayName: 'Alpha', sort: 5 },
      { internalName: 'S__z', displayName: 'Zulu', sort: 1 },
    ]);
    await connectTemplates(app.db, module.id, ids);
    const list = await app.tariffs.listOrderableTemplates(tariff.id);
    expect(list.map((t) => t.displayName)).toEqual(['Zulu', 'Alpha', 'Beta']);
  });
});
