import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/query.js';
import { AppError } from '../shared/errors.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  dumpCatalog,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  throw new Error('expected the call to fail');
};

describe('catalog service', () => {
  let app: TestApp;
  let moduleA: number;
  let moduleB: number;
  let tariffA: number;
  let tariffB: number;
  let alma: number | undefined;
  let win: number | undefined;
  let orphan: number | undefined;

  beforeAll(async () => {
    app = await createTestApp();
    moduleA = (await addTestModule(app, 'A')).id;
    moduleB = (await addTestModule(app, 'B')).id;
    tariffA = (await app.tariffs.createTariff({ name: 'on A', moduleIds: [moduleA] }, 'test')).id;
    tariffB = (await app.tariffs.createTariff({ name: 'on B', moduleIds: [moduleB] }, 'test')).id;
    [alma, win, orphan] = await insertTemplates(app.db, [
      { internalName: 'ISPsystem__AlmaLinux 9' },
      { internalName: 'ISPsystem__Windows Server 2022', minDiskMib: 40960 },
      { internalName: 'ISPsystem__Gone' },
    ]);
    await connectTemplates(app.db, moduleA, [alma!, win!]);
    await connectTemplates(app.db, moduleB, [alma!]);
  });
  afterAll(async () => app?.close());

  const statusById = async () =>
    new Map((await app.catalog.listTemplates()).map((t) => [t.id, t.status] as const));

  it('says all, some or none from the tariffs where each template is orderable', async () => {
    const status = await statusById();
    expect(status.get(alma!)).toBe('all');
    expect(status.get(win!)).toBe('some');
    expect(status.get(orphan!)).toBe('none');
  });

  it('turns "all" into "some" when an admin disables a template on one tariff, and back', async () => {
    await app.catalog.setTemplateOnTariffs(alma!, [tariffB], false, 'admin:ann@example.test');
    expect((await statusById()).get(alma!)).toBe('some');
    const detail = await app.catalog.getTemplate(alma!);
    expect(detail.tariffs.find((t) => t.tariffId === tariffB)).toMatchObject({
      explicit: false,
      orderable: false,
      reason: 'not_enabled',
    });
    await app.catalog.setTemplateOnTariffs(alma!, [tariffA, tariffB], true, 'admin:ann@example.test');
    expect((await statusById()).get(alma!)).toBe('all');
  });

  it('turns "all" into "none" when a template is disabled globally, and records who did it', async () => {
    const disabled = await app.catalog.setTemplateDisabled(alma!, true, 'admin:bob@example.test');
    expect(disabled).toMatchObject({ disabled: true, disabledBy: 'admin:bob@example.test' });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect((await statusById()).get(alma!)).toBe('none');
    await app.catalog.setTemplateDisabled(alma!, false, 'admin:bob@example.test');
    expect((await statusById()).get(alma!)).toBe('all');
  });

  it('edits display name, sort and tags, marks the name as the admin’s, and audits before → after', async () => {
    const edited = await app.catalog.editTemplate(
      win!,
      { displayName: 'Windows 2022', sort: 5, tags: ['windows'] },
      'admin:cy@example.test',
    );
    expect(edited).toMatchObject({
      displayName: 'Windows 2022',
      displayNameByAdmin: true,
      sort: 5,
      tags: ['windows'],
    });
    const [entry] = await app.audit.listAudit({ objectType: 'template', objectId: String(win), limit: 1 });
    expect(entry).toMatchObject({
      actor: 'admin:cy@example.test',
      action: 'template.edit',
      before: { displayName: 'Windows Server 2022', sort: 20, tags: [] },
      after: { displayName: 'Windows 2022', sort: 5, tags: ['windows'] },
    });
    expect(await app.audit.listAudit({ actor: 'admin:cy@example.test' })).toHaveLength(1);
  });

  it('reorders many templates at once', async () => {
    await app.catalog.reorderTemplates(
      [
        { id: alma!, sort: 300 },
        { id: win!, sort: 100 },
      ],
      'test',
    );
    const list = await app.catalog.listTemplates();
    expect(list.find((t) => t.id === alma)!.sort).toBe(300);
    expect(list.find((t) => t.id === win)!.sort).toBe(100);
  });

  it('connects and disconnects a template on a module by hand', async () => {
    await app.catalog.setTemplateConnection(orphan!, moduleB, true, 'test');
    expect(
      (await app.catalog.getTemplate(orphan!)).modules.find((m) => m.moduleId === moduleB)!.connected,
    ).toBe(true);
    expect((await statusById()).get(orphan!)).toBe('some');
    await app.catalog.setTemplateConnection(orphan!, moduleB, false, 'test');
    expect((await statusById()).get(orphan!)).toBe('none');
  });

  it('keeps the minimum disk out of admin edits', async () => {
    expect(await codeOf(app.catalog.editTemplate(win!, { minDiskMib: 1 } as never, 'test'))).toBe(
      'invalid_input',
    );
  });

  it('answers bad input with a typed error and writes nothing', async () => {
    const before = await dumpCatalog(app.db);
    const auditBefore = (await app.audit.listAudit({ limit: 1000 })).length;
    const cases: [() => Promise<unknown>, string][] = [
      [() => app.catalog.getTemplate(999999), 'not_found'],
      [() => app.catalog.editTemplate(999999, { sort: 1 }, 'test'), 'not_found'],
      [() => app.catalog.editTemplate(alma!, { displayName: '' }, 'test'), 'invalid_input'],
      [() => app.catalog.editTemplate(alma!, { displayName: '   ' }, 'test'), 'invalid_input'],
      [() => app.catalog.editTemplate(alma!, { displayName: 'x'.repeat(201) }, 'test'), 'invalid_input'],
      [() => app.catalog.editTemplate(alma!, { sort: -1 }, 'test'), 'invalid_input'],
      [() => app.catalog.editTemplate(alma!, {}, 'test'), 'invalid_input'],
      [
        () =>
          app.catalog.reorderTemplates(
            [
              { id: alma!, sort: 1 },
              { id: 999999, sort: 2 },
            ],
            'test',
          ),
        'not_found',
      ],
      [() => app.catalog.setTemplateOnTariffs(alma!, [tariffA, 999999], false, 'test'), 'not_found'],
      [() => app.catalog.setTemplateConnection(alma!, 999999, false, 'test'), 'not_found'],
      [() => app.catalog.approveTemplate(alma!, 'test'), 'conflict'],
      [() => app.tariffs.createTariff({ name: 'on A' }, 'test'), 'conflict'],
      [() => app.tariffs.createTariff({ name: '' }, 'test'), 'invalid_input'],
      [() => app.tariffs.createTariff({ name: 'x', moduleIds: [999999] }, 'test'), 'not_found'],
      [() => app.tariffs.createTariff({ name: 'x', diskMib: -5 }, 'test'), 'invalid_input'],
      [() => app.tariffs.setTariffModules(999999, [], 'test'), 'not_found'],
      [() => app.tariffs.cloneTariff(tariffA, { name: 'on B' }, 'test'), 'conflict'],
      [
        () =>
          app.modules.createModule(
            { name: 'A', url: 'https://x.test', adminEmail: 'a@b.c', password: 'p' },
            'test',
          ),
        'conflict',
      ],
      [
        () =>
          app.modules.createModule(
            { name: 'bad', url: 'ftp://x', adminEmail: 'a@b.c', password: 'p' },
            'test',
          ),
        'invalid_input',
      ],
      [
        () =>
          app.modules.createModule(
            {
              name: 'bad',
              url: 'https://x.test',
              adminEmail: 'a@b.c',
              password: 'p',
              schedule: 'every hour!',
            },
            'test',
          ),
        'invalid_input',
      ],
      [() => app.modules.updateModule(999999, { sort: 1 }, 'test'), 'not_found'],
    ];
    for (const [call, code] of cases) expect(await codeOf(call())).toBe(code);
    expect(await dumpCatalog(app.db)).toBe(before);
    expect((await app.audit.listAudit({ limit: 1000 })).length).toBe(auditBefore);
  });

  it('refuses a module of another product type on a tariff', async () => {
    const [other] = await queryRows<{ id: number }>(
      app.db,
      sql`insert into product_types (name) values ('Dedicated') returning id`,
    );
    await queryRows(
      app.db,
      sql`insert into parameters (product_type_id, name, internal_name) values (${other!.id}, 'Operating system', 'ostempl')`,
    );
    const foreign = await app.modules.createModule(
      {
        name: 'dedicated',
        url: 'https://x.test',
        adminEmail: 'a@b.c',
        password: 'p',
        productTypeId: other!.id,
      },
      'test',
    );
    expect(await codeOf(app.tariffs.setTariffModules(tariffA, [moduleA, foreign.id], 'test'))).toBe(
      'invalid_input',
    );
    expect(await codeOf(app.catalog.setTemplateConnection(alma!, foreign.id, true, 'test'))).toBe(
      'invalid_input',
    );
    expect((await app.tariffs.getTariff(tariffA)).moduleIds).toEqual([moduleA]);
  });

  it('keeps internal names case-sensitive and unique within the parameter', async () => {
    await insertTemplates(app.db, [{ internalName: 'ISPSYSTEM__AlmaLinux 9' }]);
    const names = (await app.catalog.listTemplates()).map((t) => t.internalName);
    expect(names).toEqual(expect.arrayContaining(['ISPsystem__AlmaLinux 9', 'ISPSYSTEM__AlmaLinux 9']));
    await expect(insertTemplates(app.db, [{ internalName: 'ISPsystem__AlmaLinux 9' }])).rejects.toThrow();
  });
});
