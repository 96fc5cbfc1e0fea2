import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import type { Clock } from '../shared/clock.js';

/** A clock the test moves by hand. */
const handClock = (start: string) => {
  let now = Date.parse(start);
  const clock: Clock & { set(at: string): void } = {
    now: () => new Date(now),
    set: (at) => {
      now = Date.parse(at);
    },
  };
  return clock;
};

describe('template lifecycle through the storefront', () => {
  let kit: HttpKit;
  let tariffId: number;
  let old: number;
  let successor: number;

  beforeAll(async () => {
    kit = await createHttpKit();
    const module = await addTestModule(kit.app, 'm');
    [old, successor] = (await insertTemplates(kit.app.db, [
      { internalName: 'L__CentOS 7', sort: 1 },
      { internalName: 'L__Alma 9', sort: 2 },
    ])) as [number, number];
    await connectTemplates(kit.app.db, module.id, [old, successor]);
    tariffId = (await kit.app.tariffs.createTariff({ name: 'L', moduleIds: [module.id] }, 'test')).id;
  });
  afterAll(async () => kit?.close());

  const get = (url: string) =>
    kit.server.inject({ method: 'GET', url, headers: bearer(kit.storefrontToken) });
  const list = async (purpose?: string) =>
    (await get(`/api/v1/storefront/tariffs/${tariffId}/os${purpose ? `?purpose=${purpose}` : ''}`)).json<{
      items: { internalName: string; lifecycle: unknown }[];
    }>().items;
  const check = async (body: object) =>
    (
      await kit.server.inject({
        method: 'POST',
        url: '/api/v1/storefront/orders/check',
        headers: bearer(kit.storefrontToken),
        payload: { tariffId, internalName: 'L__CentOS 7', ...body },
      })
    ).json<Record<string, unknown>>();
  const admin = (method: 'POST', url: string, payload?: object) =>
    kit.server.inject({ method, url, headers: bearer(kit.adminToken), ...(payload ? { payload } : {}) });

  it('a deprecated template leaves the order list but stays on the reinstall list, flagged with its replacement', async () => {
    const res = await admin('POST', `/api/v1/admin/templates/${old}/deprecate`, { replacementId: successor });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lifecycle: 'deprecated', replacementId: successor, eolAt: null });
    expect((await list()).map((t) => t.internalName)).toEqual(['L__Alma 9']);
    const lifecycle = {
      state: 'deprecated',
      eolAt: null,
      replacement: { id: successor, internalName: 'L__Alma 9', displayName: 'Alma 9' },
    };
    expect(await list('reinstall')).toMatchObject([
      { internalName: 'L__CentOS 7', lifecycle },
      { internalName: 'L__Alma 9', lifecycle: null },
    ]);
    // The refusal says what to offer instead: the replacement, as the reinstall list shows it.
    expect(await check({})).toEqual({ orderable: false, reason: 'deprecated', templateId: old, lifecycle });
    expect(await check({ purpose: 'reinstall' })).toMatchObject({
      orderable: true,
      templateId: old,
      lifecycle,
    });
    const detail = await kit.app.catalog.getTemplate(old);
    expect(detail.tariffs[0]).toMatchObject({ orderable: false, reason: 'deprecated' });
    expect(detail.status).toBe('none');
  });

  it('undeprecate offers it again; a second undeprecate is a conflict', async () => {
    const res = await admin('POST', `/api/v1/admin/templates/${old}/undeprecate`);
    expect(res.json()).toMatchObject({ lifecycle: 'active', replacementId: null, deprecatedAt: null });
    expect((await list()).map((t) => t.internalName)).toEqual(['L__CentOS 7', 'L__Alma 9']);
    expect(await check({})).toMatchObject({ orderable: true, lifecycle: null });
    expect(errorOf(await admin('POST', `/api/v1/admin/templates/${old}/undeprecate`)).code).toBe('conflict');
    const audit = await kit.app.audit.listAudit({ objectType: 'template', objectId: String(old) });
    expect(audit.map((e) => e.action)).toEqual(['template.undeprecate', 'template.deprecate']);
  });

  it('refuses a bad replacement or date with a typed error and changes nothing', async () => {
    for (const body of [{ replacementId: old }, { replacementId: 999999 }, { eolAt: 'soon' }, { extra: 1 }]) {
      const res = await admin('POST', `/api/v1/admin/templates/${old}/deprecate`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe('invalid_input');
    }
    expect((await kit.app.catalog.getTemplate(old)).lifecycle).toBe('active');
    expect(errorOf(await admin('POST', '/api/v1/admin/templates/999999/deprecate', {})).code).toBe(
      'not_found',
    );
  });
});

describe('an EOL date ahead', () => {
  let app: TestApp;
  const clock = handClock('2026-03-01T12:00:00Z');

  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app?.close());

  it('is "deprecating" until the date, then deprecated by itself exactly once, even with two runs at once', async () => {
    const module = await addTestModule(app, 'eol');
    const [centos] = await insertTemplates(app.db, [{ internalName: 'E__CentOS 8' }]);
    await connectTemplates(app.db, module.id, [centos!]);
    const tariff = await app.tariffs.createTariff({ name: 'E', moduleIds: [module.id] }, 'test');
    const deprecating = await app.lifecycle.deprecateTemplate(
      centos!,
      { eolAt: '2026-03-31T00:00:00Z' },
      'admin:a',
    );
    expect(deprecating).toMatchObject({ lifecycle: 'deprecating', deprecatedAt: null });
    const listed = await app.tariffs.listOrderableTemplates(tariff.id);
    expect(listed).toMatchObject([
      { internalName: 'E__CentOS 8', lifecycle: { state: 'deprecating', eolAt: '2026-03-31T00:00:00.000Z' } },
    ]);
    expect(await app.lifecycle.deprecatePastEol()).toEqual([]);

    clock.set('2026-03-31T00:00:30Z');
    // Two runs at once, as two instances' jobs would: the database lets one move the template.
    const runs = await Promise.all([app.lifecycle.deprecatePastEol(), app.lifecycle.deprecatePastEol()]);
    expect(runs.flat()).toEqual([centos]);
    expect(await app.lifecycle.deprecatePastEol()).toEqual([]);
    const template = (await app.catalog.listTemplates()).find((t) => t.id === centos)!;
    expect(template).toMatchObject({ lifecycle: 'deprecated', status: 'none' });
    expect(template.deprecatedAt?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(await app.tariffs.listOrderableTemplates(tariff.id)).toEqual([]);
    const audit = await app.audit.listAudit({ objectType: 'template', objectId: String(centos) });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['template.eol_reached', 'schedule'],
      ['template.deprecate', 'admin:a'],
    ]);
  });

  it('in the past deprecates at once', async () => {
    const [old] = await insertTemplates(app.db, [{ internalName: 'E__Old' }]);
    const t = await app.lifecycle.deprecateTemplate(old!, { eolAt: '2020-01-01T00:00:00Z' }, 'admin:a');
    expect(t).toMatchObject({ lifecycle: 'deprecated' });
    expect(t.eolAt?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });
});
