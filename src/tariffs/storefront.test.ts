import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../app.js';
import { openPostgres, type Database } from '../db/database.js';
import { createSecretBox } from '../shared/secrets.js';
import { and, eq } from 'drizzle-orm';
import { moduleTemplates } from '../modules/modules.tables.js';
import { addTestModule, connectTemplates, insertTemplates } from '../test/test-app.js';
import { buildHttpServer, type HttpServer } from '../http/http.server.js';
import { eventually } from '../test/eventually.js';
import { bearer, createHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';

let kit: HttpKit;
let tariffId: number;
let ids: number[];
let moduleA: number;
let moduleB: number;

beforeAll(async () => {
  kit = await createHttpKit();
  ids = await insertTemplates(kit.app.db, [
    { internalName: 'ISPsystem__Ubuntu 22.04', minDiskMib: 10240, sort: 10 },
    { internalName: 'ISPsystem__Debian 12', sort: 20 },
    { internalName: 'ISPsystem__Windows 2022', minDiskMib: 40960, sort: 30 },
    { internalName: 'ISPsystem__New', sort: 40, awaitingReview: true },
    { internalName: 'ISPsystem__Off', sort: 50, disabled: true },
    { internalName: 'ISPsystem__Lonely', sort: 60 },
  ]);
  moduleA = (await addTestModule(kit.app, 'A', { sort: 1 })).id;
  moduleB = (await addTestModule(kit.app, 'B', { sort: 2 })).id;
  await connectTemplates(kit.app.db, moduleA, ids.slice(0, 5));
  await connectTemplates(kit.app.db, moduleB, [ids[1]!]);
  tariffId = (
    await kit.app.tariffs.createTariff({ name: 'VPS', diskMib: 20480, moduleIds: [moduleA, moduleB] }, 'test')
  ).id;
});
afterAll(async () => kit.close());

const osList = async (server: HttpServer, id = tariffId) =>
  server.inject({
    method: 'GET',
    url: `/api/v1/storefront/tariffs/${id}/os`,
    headers: bearer(kit.storefrontToken),
  });
const check = async (payload: object) =>
  kit.server.inject({
    method: 'POST',
    url: '/api/v1/storefront/orders/check',
    headers: bearer(kit.storefrontToken),
    payload,
  });
const names = (body: unknown) =>
  (body as { items: { internalName: string }[] }).items.map((i) => i.internalName);

describe('storefront OS list', () => {
  test('lists the orderable templates in order, with the fields the order form needs', async () => {
    const res = await osList(kit.server);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(names(res.json())).toEqual(['ISPsystem__Ubuntu 22.04', 'ISPsystem__Debian 12']);
    expect(res.json<{ items: object[] }>().items[0]).toEqual({
      id: ids[0],
      displayName: 'Ubuntu 22.04',
      internalName: 'ISPsystem__Ubuntu 22.04',
      sort: 10,
      minDiskMib: 10240,
      minRamMib: null,
      osGroup: null,
      virtualization: null,
      lifecycle: null,
    });
  });

  test('an unknown tariff is 404, a bad id 400', async () => {
    expect(errorOf(await osList(kit.server, 999999)).code).toBe('not_found');
    const bad = await kit.server.inject({
      method: 'GET',
      url: '/api/v1/storefront/tariffs/-1/os',
      headers: bearer(kit.storefrontToken),
    });
    expect(errorOf(bad)).toMatchObject({ code: 'invalid_input', details: { field: 'id' } });
  });

  test('an admin edit is served at once by the same instance', async () => {
    await osList(kit.server);
    const res = await kit.server.inject({
      method: 'PATCH',
      url: `/api/v1/admin/templates/${ids[1]}`,
      headers: bearer(kit.adminToken),
      payload: { displayName: 'Debian Bookworm' },
    });
    expect(res.statusCode).toBe(200);
    expect((await osList(kit.server)).body).toContain('Debian Bookworm');
  });

  test('a change written straight to the database (as a sync does) is served after its NOTIFY', async () => {
    await osList(kit.server);
    await kit.app.catalog.setTemplateDisabled(ids[0]!, true, 'sync');
    await eventually(async () =>
      expect(names((await osList(kit.server)).json())).not.toContain('ISPsystem__Ubuntu 22.04'),
    );
    await kit.app.catalog.setTemplateDisabled(ids[0]!, false, 'sync');
    await eventually(async () =>
      expect(names((await osList(kit.server)).json())).toContain('ISPsystem__Ubuntu 22.04'),
    );
  });
});

describe('conditional answers (ETag)', () => {
  const conditional = (etag: string, server = kit.server) =>
    server.inject({
      method: 'GET',
      url: `/api/v1/storefront/tariffs/${tariffId}/os`,
      headers: { ...bearer(kit.storefrontToken), 'if-none-match': etag },
    });

  test('the ETag is the digest of the bytes: the same list gives the same tag on any engine', async () => {
    const res = await osList(kit.server);
    const expected = JSON.stringify({
      tariffId,
      items: [
        {
          id: ids[0],
          displayName: 'Ubuntu 22.04',
          internalName: 'ISPsystem__Ubuntu 22.04',
          sort: 10,
          minDiskMib: 10240,
          minRamMib: null,
          osGroup: null,
          virtualization: null,
          lifecycle: null,
        },
        {
          id: ids[1],
          displayName: 'Debian Bookworm',
          internalName: 'ISPsystem__Debian 12',
          sort: 20,
          minDiskMib: null,
          minRamMib: null,
          osGroup: null,
          virtualization: null,
          lifecycle: null,
        },
      ],
    });
    expect(res.body).toBe(expected);
    expect(res.headers.etag).toBe(`"${createHash('sha256').update(expected).digest('base64url')}"`);
    expect(res.headers['cache-control']).toBe('no-cache');
    // The same from the cache (second request) and from a fresh read.
    expect((await osList(kit.server)).headers.etag).toBe(res.headers.etag);
  });

  test('a matching If-None-Match gets 304 with no body; a stale one gets the list', async () => {
    const etag = (await osList(kit.server)).headers.etag as string;
    for (const header of [etag, `W/${etag}`, `"old", ${etag}`, '*']) {
      const res = await conditional(header);
      expect(res.statusCode, header).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(etag);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const stale = await conditional('"something-else"');
    expect(stale.statusCode).toBe(200);
    expect(names(stale.json())).toEqual(['ISPsystem__Ubuntu 22.04', 'ISPsystem__Debian 12']);
  });

  test('a change that leaves the list as it is keeps the ETag; one that alters it changes it', async () => {
    const before = (await osList(kit.server)).headers.etag as string;
    // Not on this tariff's list: connected nowhere, disabled, awaiting review.
    await kit.app.catalog.editTemplate(ids[5]!, { displayName: 'Lonely Linux' }, 'test');
    await kit.app.catalog.editTemplate(ids[4]!, { sort: 5 }, 'test');
    await kit.app.catalog.editTemplate(ids[3]!, { tags: ['beta'] }, 'test');
    // Listed, but tags are not part of the storefront answer.
    await kit.app.catalog.editTemplate(ids[1]!, { tags: ['stable'] }, 'test');
    await kit.app.tariffs.createTariff({ name: 'Other', moduleIds: [moduleB] }, 'test');
    await eventually(async () => expect((await conditional(before)).statusCode).toBe(304));
    await kit.app.catalog.editTemplate(ids[1]!, { sort: 25 }, 'test');
    await eventually(async () => expect((await conditional(before)).statusCode).toBe(200));
    const after = (await osList(kit.server)).headers.etag as string;
    expect(after).not.toBe(before);
    await kit.app.catalog.editTemplate(ids[1]!, { sort: 20 }, 'test');
    // The same content again gives the same tag again: it is derived from the content alone.
    await eventually(async () => expect((await osList(kit.server)).headers.etag).toBe(before));
  });

  test('the reinstall list carries its own ETag and answers 304 to it; a deprecation tells the two lists apart', async () => {
    const get = (purpose: 'order' | 'reinstall', etag?: string) =>
      kit.server.inject({
        method: 'GET',
        url: `/api/v1/storefront/tariffs/${tariffId}/os?purpose=${purpose}`,
        headers: { ...bearer(kit.storefrontToken), ...(etag ? { 'if-none-match': etag } : {}) },
      });
    const order = await get('order');
    const reinstall = await get('reinstall');
    expect(reinstall.headers['cache-control']).toBe('no-cache');
    // Nothing deprecated: the same content, so the same tag.
    expect(reinstall.body).toBe(order.body);
    expect(reinstall.headers.etag).toBe(order.headers.etag);
    await kit.app.lifecycle.deprecateTemplate(ids[1]!, {}, 'test');
    try {
      await eventually(async () =>
        expect((await get('reinstall')).json<{ items: unknown[] }>().items).toContainEqual(
          expect.objectContaining({
            internalName: 'ISPsystem__Debian 12',
            lifecycle: { state: 'deprecated', eolAt: null, replacement: null },
          }),
        ),
      );
      const deprecatedOn = await get('reinstall');
      const orderNow = await get('order');
      expect(names(orderNow.json())).not.toContain('ISPsystem__Debian 12');
      const tags = new Set([order.headers.etag, deprecatedOn.headers.etag, orderNow.headers.etag]);
      expect(tags.size).toBe(3);
      const again = await get('reinstall', deprecatedOn.headers.etag);
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(deprecatedOn.headers.etag);
      expect(again.headers['cache-control']).toBe('no-cache');
      // One list's tag is no tag of the other.
      expect((await get('order', deprecatedOn.headers.etag as string)).statusCode).toBe(200);
    } finally {
      await kit.app.lifecycle.undeprecateTemplate(ids[1]!, 'test');
    }
    await eventually(async () => expect((await get('reinstall')).headers.etag).toBe(order.headers.etag));
  });
});

describe('order check', () => {
  test('an orderable choice says where to build it: module, VMmanager template, cluster, and the alternatives', async () => {
    const place = (moduleId: number, upstreamId: number, clusterIds: number[]) =>
      kit.app.db
        .update(moduleTemplates)
        .set({ upstreamId, clusterIds, virtualization: 'kvm' })
        .where(and(eq(moduleTemplates.moduleId, moduleId), eq(moduleTemplates.valueId, ids[1]!)));
    await place(moduleA, 8201, [3, 1]);
    await place(moduleB, 77, [5]);
    const placementB = {
      moduleId: moduleB,
      moduleName: 'B',
      upstreamId: 77,
      clusterId: 5,
      clusterIds: [5],
      virtualization: 'kvm',
    };
    // A has the lower sort: it builds it, on its lowest cluster; B is the alternative.
    expect((await check({ tariffId, internalName: 'ISPsystem__Debian 12' })).json()).toEqual({
      orderable: true,
      templateId: ids[1],
      lifecycle: null,
      moduleId: moduleA,
      moduleName: 'A',
      upstreamId: 8201,
      clusterId: 1,
      clusterIds: [1, 3],
      virtualization: 'kvm',
      alternatives: [placementB],
    });
    // While VMmanager updates it on A, B builds it and A is no alternative.
    await connectTemplates(kit.app.db, moduleA, [ids[1]!], true, false);
    expect((await check({ tariffId, internalName: 'ISPsystem__Debian 12' })).json()).toEqual({
      orderable: true,
      templateId: ids[1],
      lifecycle: null,
      ...placementB,
      alternatives: [],
    });
    await connectTemplates(kit.app.db, moduleA, [ids[1]!]);
    // The list names the kind the building module runs it on (after the NOTIFY empties the cache).
    await eventually(async () =>
      expect((await osList(kit.server)).json<{ items: object[] }>().items[1]).toMatchObject({
        internalName: 'ISPsystem__Debian 12',
        virtualization: 'kvm',
      }),
    );
  });

  test('each reason it cannot be ordered', async () => {
    const reason = async (body: object) => (await check(body)).json<{ reason?: string }>().reason;
    expect(await reason({ tariffId, internalName: 'ISPsystem__Nope' })).toBe('unknown');
    expect(await reason({ tariffId: 999999, internalName: 'ISPsystem__Debian 12' })).toBe('unknown');
    expect(await reason({ tariffId, internalName: 'ISPsystem__Windows 2022' })).toBe('disk_too_small');
    expect(await reason({ tariffId, internalName: 'ISPsystem__Ubuntu 22.04', diskMib: 5000 })).toBe(
      'disk_too_small',
    );
    expect(await reason({ tariffId, internalName: 'ISPsystem__New' })).toBe('awaiting_review');
    expect(await reason({ tariffId, internalName: 'ISPsystem__Off' })).toBe('disabled');
    expect(await reason({ tariffId, internalName: 'ISPsystem__Lonely' })).toBe('not_connected');
    await kit.app.catalog.setTemplateOnTariffs(ids[1]!, [tariffId], false, 'test');
    expect(await reason({ tariffId, internalName: 'ISPsystem__Debian 12' })).toBe('not_enabled');
    await kit.app.catalog.setTemplateOnTariffs(ids[1]!, [tariffId], true, 'test');
  });

  test("a tariff's RAM leaves out what needs more, a customer's RAM is checked, an unknown minimum fits", async () => {
    const module = (await addTestModule(kit.app, 'RAM', { sort: 3 })).id;
    const ram = await insertTemplates(kit.app.db, [
      { internalName: 'RAM__Windows', minRamMib: 4096, sort: 1 },
      { internalName: 'RAM__Alpine', minRamMib: 512, sort: 2 },
      { internalName: 'RAM__Unknown', sort: 3 },
    ]);
    await connectTemplates(kit.app.db, module, ram);
    const small = await kit.app.tariffs.createTariff(
      { name: 'RAM-1G', ramMib: 1024, moduleIds: [module] },
      'test',
    );
    expect(names((await osList(kit.server, small.id)).json())).toEqual(['RAM__Alpine', 'RAM__Unknown']);
    const reason = async (body: object) =>
      (await check({ tariffId: small.id, ...body })).json<{ reason?: string }>();
    expect(await reason({ internalName: 'RAM__Windows' })).toEqual({
      orderable: false,
      reason: 'ram_too_small',
    });
    expect(await reason({ internalName: 'RAM__Windows', ramMib: 4096 })).toMatchObject({ orderable: true });
    expect(await reason({ internalName: 'RAM__Alpine', ramMib: 256 })).toEqual({
      orderable: false,
      reason: 'ram_too_small',
    });
    expect(await reason({ internalName: 'RAM__Unknown', ramMib: 1 })).toMatchObject({ orderable: true });
    // More RAM on the tariff offers it; the list follows the edit (a service call, not a route:
    // the cache learns of it by the NOTIFY).
    await kit.app.tariffs.updateTariff(small.id, { ramMib: 4096 }, 'test');
    await eventually(async () =>
      expect(names((await osList(kit.server, small.id)).json())).toEqual([
        'RAM__Windows',
        'RAM__Alpine',
        'RAM__Unknown',
      ]),
    );
    // The template's detail says the same per tariff.
    const windows = await kit.app.catalog.getTemplate(ram[0]!);
    expect(windows.tariffs.find((t) => t.tariffId === small.id)).toMatchObject({
      orderable: true,
      reason: null,
    });
    await kit.app.tariffs.updateTariff(small.id, { ramMib: 2048 }, 'test');
    expect(
      (await kit.app.catalog.getTemplate(ram[0]!)).tariffs.find((t) => t.tariffId === small.id),
    ).toMatchObject({
      orderable: false,
      reason: 'ram_too_small',
    });
  });

  test('the check agrees with the OS list for every template', async () => {
    const listed = new Set(names((await osList(kit.server)).json()));
    for (const t of await kit.app.catalog.listTemplates()) {
      const res = (await check({ tariffId, internalName: t.internalName })).json<{ orderable: boolean }>();
      expect(res.orderable, t.internalName).toBe(listed.has(t.internalName));
    }
  });

  test('malformed checks are 400 with the field named', async () => {
    expect(errorOf(await check({ tariffId: 'x', internalName: 'a' })).details).toMatchObject({
      field: 'tariffId',
    });
    expect(errorOf(await check({ tariffId })).details).toMatchObject({ field: 'internalName' });
    expect(errorOf(await check({ tariffId, internalName: 'a', diskMib: -5 })).details).toMatchObject({
      field: 'diskMib',
    });
    expect(errorOf(await check({ tariffId, internalName: 'a', ramMib: 0 })).details).toMatchObject({
      field: 'ramMib',
    });
    expect(errorOf(await check({ tariffId, internalName: 'a', extra: 1 })).details).toMatchObject({
      field: 'extra',
    });
  });
});

describe('two instances on one database', () => {
  test('a change made through one instance is served by the other without a restart', async () => {
    // PostgreSQL: a second pool and server, as a second process would have. PGlite: a second
    // server in-process on the same database (PGlite has one owner process).
    const url = kit.app.testDatabase.url;
    const secondDb: Database = url ? await openPostgres(url, { max: 3 }) : kit.app.testDatabase;
    const second: App = url
      ? createApp({ database: secondDb, secrets: createSecretBox(randomBytes(32)) })
      : kit.app;
    const other = await buildHttpServer(second);
    try {
      const before = await osList(other);
      expect(names(before.json())).toContain('ISPsystem__Debian 12');
      // Both instances tag the same list alike, so a storefront may ask either with its ETag.
      const mine = await osList(kit.server);
      expect(mine.body).toBe(before.body);
      expect(before.headers.etag).toBe(mine.headers.etag);
      expect((await osList(other)).body).toBe(before.body); // now served from its cache
      const revalidate = (server: typeof other, etag: string) =>
        server.inject({
          method: 'GET',
          url: `/api/v1/storefront/tariffs/${tariffId}/os`,
          headers: { ...bearer(kit.storefrontToken), 'if-none-match': etag },
        });
      // A tag one instance gave is a 304 on the other.
      expect((await revalidate(other, mine.headers.etag as string)).statusCode).toBe(304);
      const res = await kit.server.inject({
        method: 'PUT',
        url: `/api/v1/admin/templates/${ids[1]}/tariffs`,
        headers: bearer(kit.adminToken),
        payload: { tariffIds: [tariffId], enabled: false },
      });
      expect(res.statusCode).toBe(200);
      await eventually(async () =>
        expect(names((await osList(other)).json())).not.toContain('ISPsystem__Debian 12'),
      );
      // The change reached the other instance's answer, so the old tag no longer matches there.
      const stale = await revalidate(other, mine.headers.etag as string);
      expect(stale.statusCode).toBe(200);
      expect(stale.headers.etag).not.toBe(mine.headers.etag);
      const rename = await other.inject({
        method: 'PATCH',
        url: `/api/v1/admin/templates/${ids[0]}`,
        headers: bearer(kit.adminToken),
        payload: { displayName: 'Ubuntu Jammy' },
      });
      expect(rename.statusCode).toBe(200);
      await eventually(async () => expect((await osList(kit.server)).body).toContain('Ubuntu Jammy'));
    } finally {
      await other.close();
      if (url) await secondDb.close();
    }
  });
});
