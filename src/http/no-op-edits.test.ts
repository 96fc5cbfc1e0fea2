import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../db/query.js';
import { addTestModule, connectTemplates, dumpCatalog, insertTemplates } from '../test/test-app.js';
import { bearer, createHttpKit, type HttpKit } from './http.test-kit.js';
import { webhookEventTypes } from '../webhooks/webhooks.schema.js';

// An edit that changes nothing writes nothing: no updated_at, no audit row, no webhook event.
let kit: HttpKit;
let templateId: number;
let tariffId: number;
let moduleIds: number[];

beforeAll(async () => {
  kit = await createHttpKit();
  templateId = (await insertTemplates(kit.app.db, [{ internalName: 'ISPsystem__Debian 12' }]))[0]!;
  moduleIds = [(await addTestModule(kit.app, 'One')).id, (await addTestModule(kit.app, 'Two')).id];
  for (const id of moduleIds) await connectTemplates(kit.app.db, id, [templateId]);
  tariffId = (
    await kit.app.tariffs.createTariff(
      { name: 'No-op', diskMib: 20480, ramMib: 2048, moduleIds: [...moduleIds] },
      'test',
    )
  ).id;
  // A subscriber to every event, so that any event a no-op wrongly caused would be in the outbox.
  await kit.app.webhooks.createEndpoint(
    { url: 'http://127.0.0.1:9/hook', events: [...webhookEventTypes], enabled: true },
    'test',
  );
  await kit.app.catalog.editTemplate(templateId, { displayName: 'Debian', tags: ['a', 'b'] }, 'test');
});
afterAll(async () => kit.close());

const call = (method: 'PATCH' | 'POST' | 'PUT', url: string, payload?: object) =>
  kit.server.inject({
    method,
    url: `/api/v1/admin${url}`,
    headers: bearer(kit.adminToken),
    ...(payload ? { payload } : {}),
  });

/** Everything a write could leave behind: the catalog, the audit log and the outbox. */
const state = async () =>
  JSON.stringify({
    catalog: await dumpCatalog(kit.app.db),
    tariffs: await kit.app.tariffs.listTariffs(),
    counts: await queryRows(
      kit.app.db,
      sql`select (select count(*)::int from audit_log) as audit,
                 (select count(*)::int from webhook_events) as events,
                 (select count(*)::int from webhook_deliveries) as deliveries`,
    ),
  });

describe('edits that change nothing', () => {
  test('a template edit or disable that changes nothing writes nothing', async () => {
    const template = await kit.app.catalog.getTemplate(templateId);
    await kit.app.catalog.setTemplateDisabled(templateId, true, 'test');
    const disabled = await kit.app.catalog.getTemplate(templateId);
    const before = await state();
    for (const [method, url, payload] of [
      [
        'PATCH',
        `/templates/${templateId}`,
        { displayName: ' Debian ', sort: template.sort, tags: ['a', 'b'] },
      ],
      ['PATCH', `/templates/${templateId}`, { tags: ['a', 'b'] }],
      ['POST', `/templates/${templateId}/disable`, undefined],
    ] as const) {
      const res = await call(method, url, payload);
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(200);
      expect(res.json(), url).toMatchObject({
        updatedAt: disabled.updatedAt.toISOString(),
        disabledAt: disabled.disabledAt!.toISOString(),
      });
    }
    expect(await state()).toBe(before);

    // Real changes still write, with their audit rows and events.
    await call('POST', `/templates/${templateId}/enable`);
    const renamed = await call('PATCH', `/templates/${templateId}`, { tags: ['b', 'a'] });
    expect(renamed.json()).toMatchObject({ tags: ['b', 'a'] });
    expect(await state()).not.toBe(before);
  });

  test('a tariff edit or module set that changes nothing writes nothing', async () => {
    const tariff = await kit.app.tariffs.getTariff(tariffId);
    const before = await state();
    for (const [method, url, payload] of [
      ['PATCH', `/tariffs/${tariffId}`, { name: ' No-op ', diskMib: 20480, ramMib: 2048 }],
      ['PATCH', `/tariffs/${tariffId}`, { ramMib: 2048 }],
      ['PUT', `/tariffs/${tariffId}/modules`, { moduleIds: [...moduleIds].reverse() }],
    ] as const) {
      const res = await call(method, url, payload);
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(200);
      expect(res.json(), url).toMatchObject({
        updatedAt: tariff.updatedAt.toISOString(),
        moduleIds: tariff.moduleIds,
      });
    }
    expect(await state()).toBe(before);

    const resized = await call('PATCH', `/tariffs/${tariffId}`, { ramMib: null });
    expect(resized.json()).toMatchObject({ ramMib: null });
    expect(await state()).not.toBe(before);
    const audit = await kit.app.audit.listAudit({
      objectType: 'tariff',
      objectId: String(tariffId),
      limit: 5,
    });
    expect(audit.map((a) => a.action)).toEqual(['tariff.update', 'tariff.create']);
  });
});
