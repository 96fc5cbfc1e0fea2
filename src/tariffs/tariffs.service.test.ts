import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';

describe('tariff clone', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it('copies disk, RAM, modules and per-template decisions, and stays independent of the original', async () => {
    const a = await addTestModule(app, 'cluster-1');
    const b = await addTestModule(app, 'cluster-2');
    const original = await app.tariffs.createTariff(
      { name: 'VPS-1', diskMib: 20480, ramMib: 2048, moduleIds: [a.id, b.id] },
      'admin:x',
    );
    const [alma, debian] = await insertTemplates(app.db, [
      { internalName: 'R__Alma' },
      { internalName: 'R__Debian' },
    ]);
    await connectTemplates(app.db, a.id, [alma!, debian!]);
    await connectTemplates(app.db, b.id, [debian!]);
    await app.catalog.setTemplateOnTariffs(alma!, [original.id], false, 'admin:x');

    const clone = await app.tariffs.cloneTariff(original.id, {}, 'admin:x');
    expect(clone).toMatchObject({
      name: 'VPS-1 (copy)',
      diskMib: 20480,
      ramMib: 2048,
      moduleIds: [a.id, b.id],
      clonedFromId: original.id,
    });
    const names = async (id: number) =>
      (await app.tariffs.listOrderableTemplates(id)).map((t) => t.internalName);
    expect(await names(clone.id)).toEqual(['R__Debian']);

    // The seed's pattern: give the clone its own module.
    await app.tariffs.setTariffModules(clone.id, [b.id], 'admin:x');
    await app.catalog.setTemplateOnTariffs(alma!, [clone.id], true, 'admin:x');
    await app.tariffs.updateTariff(clone.id, { diskMib: 51200, ramMib: null }, 'admin:x');

    expect(await app.tariffs.getTariff(original.id)).toMatchObject({
      diskMib: 20480,
      ramMib: 2048,
      moduleIds: [a.id, b.id],
    });
    expect(await names(original.id)).toEqual(['R__Debian']);
    const detail = await app.catalog.getTemplate(alma!);
    expect(detail.tariffs.find((t) => t.tariffId === original.id)!.explicit).toBe(false);
    expect(detail.tariffs.find((t) => t.tariffId === clone.id)!.explicit).toBe(true);

    const second = await app.tariffs.cloneTariff(original.id, {}, 'admin:x');
    expect(second.name).toBe('VPS-1 (copy 2)');
    const audit = await app.audit.listAudit({ objectType: 'tariff', objectId: String(clone.id) });
    expect(audit.map((e) => e.action)).toEqual(['tariff.update', 'tariff.set_modules', 'tariff.clone']);
    expect(audit[0]).toMatchObject({ before: { ramMib: 2048 }, after: { ramMib: null, diskMib: 51200 } });
    await expect(app.tariffs.updateTariff(clone.id, { ramMib: 0 }, 'admin:x')).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
