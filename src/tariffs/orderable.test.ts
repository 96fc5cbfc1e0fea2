import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';

type Decision = 'default' | 'enabled' | 'disabled';
type Connection = 'tariff_module' | 'other_module' | 'none';
type Disk = 'above' | 'below' | 'unknown';

interface Case {
  decision: Decision;
  awaitingReview: boolean;
  globallyDisabled: boolean;
  connection: Connection;
  disk: Disk;
}

const tariffDisk = 20480;
const diskOf = { above: 40960, below: 10240, unknown: null } as const;

const cases: Case[] = [];
for (const decision of ['default', 'enabled', 'disabled'] as const)
  for (const awaitingReview of [false, true])
    for (const globallyDisabled of [false, true])
      for (const connection of ['tariff_module', 'other_module', 'none'] as const)
        for (const disk of ['above', 'below', 'unknown'] as const)
          cases.push({ decision, awaitingReview, globallyDisabled, connection, disk });

// The rule written out independently of the implementation.
const expectedOrderable = (c: Case): boolean =>
  !c.globallyDisabled &&
  (c.decision === 'enabled' || (c.decision === 'default' && !c.awaitingReview)) &&
  c.connection === 'tariff_module' &&
  c.disk !== 'above';

const nameOf = (c: Case, i: number) =>
  `ISPsystem__T${String(i).padStart(3, '0')}-${c.decision}-${c.awaitingReview}-${c.globallyDisabled}-${c.connection}-${c.disk}`;

describe('the orderable rule on a real database', () => {
  let app: TestApp;
  let tariffId: number;
  let ids: number[];

  beforeAll(async () => {
    app = await createTestApp();
    const served = await addTestModule(app, 'served');
    const other = await addTestModule(app, 'other');
    const tariff = await app.tariffs.createTariff(
      { name: 'T', diskMib: tariffDisk, moduleIds: [served.id] },
      'test',
    );
    tariffId = tariff.id;
    ids = await insertTemplates(
      app.db,
      cases.map((c, i) => ({
        internalName: nameOf(c, i),
        awaitingReview: c.awaitingReview,
        disabled: c.globallyDisabled,
        minDiskMib: diskOf[c.disk],
      })),
    );
    await connectTemplates(
      app.db,
      served.id,
      ids.filter((_, i) => cases[i]!.connection === 'tariff_module'),
    );
    await connectTemplates(
      app.db,
      other.id,
      ids.filter((_, i) => cases[i]!.connection === 'other_module'),
    );
    for (const decision of ['enabled', 'disabled'] as const) {
      for (const [i, c] of cases.entries()) {
        if (c.decision === decision)
          await app.catalog.setTemplateOnTariffs(ids[i]!, [tariffId], decision === 'enabled', 'test');
      }
    }
  });

  afterAll(async () => app?.close());

  it(`lists exactly the orderable templates over the full truth table (${cases.length} cases)`, async () => {
    const listed = await app.tariffs.listOrderableTemplates(tariffId);
    const expected = cases.map((c, i) => (expectedOrderable(c) ? nameOf(c, i) : null)).filter(Boolean);
    expect(listed.map((t) => t.internalName)).toEqual(expected);
  });

  it('agrees with the per-template view and gives a reason for every refusal', async () => {
    for (const [i, c] of cases.entries()) {
      const detail = await app.catalog.getTemplate(ids[i]!);
      const link = detail.tariffs.find((t) => t.tariffId === tariffId)!;
      expect({ name: nameOf(c, i), orderable: link.orderable }).toEqual({
        name: nameOf(c, i),
        orderable: expectedOrderable(c),
      });
      expect(link.reason === null).toBe(link.orderable);
    }
  });

  it('applies a customer-chosen disk size instead of the tariff disk', async () => {
    const big = await app.tariffs.listOrderableTemplates(tariffId, { diskMib: 81920 });
    const aboveCase = cases.findIndex(
      (c) => expectedOrderable({ ...c, disk: 'below' }) && c.disk === 'above',
    );
    expect(big.map((t) => t.internalName)).toContain(nameOf(cases[aboveCase]!, aboveCase));
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
