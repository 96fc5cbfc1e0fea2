import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addTestModule, connectTemplates, dumpCatalog, insertTemplates } from '../test/test-app.js';
import { bearer, createHttpKit, errorOf, type HttpKit } from './http.test-kit.js';

// Path ids are read as canonical decimal text only. The fuzz test once found the catalog
// changed; this pins down both halves of why a request with a path id may write.
let kit: HttpKit;
let moduleId: number;

beforeAll(async () => {
  kit = await createHttpKit();
  const ids = await insertTemplates(kit.app.db, [{ internalName: 'ISPsystem__Debian 12' }]);
  moduleId = (await addTestModule(kit.app, 'Ids')).id;
  await connectTemplates(kit.app.db, moduleId, ids);
  await kit.app.tariffs.createTariff({ name: 'Ids tariff', moduleIds: [moduleId] }, 'test');
  await kit.app.auth.createToken({ name: 'spare', scope: 'admin' }, 'test');
});
afterAll(async () => kit.close());

/** Other spellings of the id 1 (as sent in a URL): a space, a sign, a zero, a fraction, hex, … */
const spellingsOfOne = ['%201', '1%20', '01', '%2B1', '+1', '1.0', '1e0', '0x1', '1%00', '%EF%BC%91'];

const auditCount = async () => (await kit.app.audit.listAudit({ limit: 1000 })).length;

describe('path ids', () => {
  test('every route with a path id refuses other spellings of an existing id: 400 invalid_input, nothing written', async () => {
    const routes = kit.server.registeredRoutes.filter(
      (r) => /:[A-Za-z]+/.test(r.url) && r.method !== 'HEAD' && r.url.startsWith('/api/'),
    );
    expect(routes.length).toBeGreaterThan(20);
    const before = await dumpCatalog(kit.app.db);
    const audit = await auditCount();
    for (const route of routes) {
      for (const spelling of spellingsOfOne) {
        const url = route.url.replace(/:[A-Za-z]+/g, spelling);
        const res = await kit.server.inject({
          method: route.method as 'GET',
          url,
          headers: bearer(kit.adminToken),
        });
        expect(res.statusCode, `${route.method} ${url} → ${res.body.slice(0, 200)}`).toBe(400);
        expect(errorOf(res), `${route.method} ${url}`).toMatchObject({
          code: 'invalid_input',
          details: { in: 'params' },
        });
      }
    }
    expect(await dumpCatalog(kit.app.db)).toBe(before);
    expect(await auditCount()).toBe(audit);
  });

  test('enabling an enabled module, or saving its settings unchanged, writes nothing', async () => {
    const module = await kit.app.modules.getModule(moduleId);
    const before = await dumpCatalog(kit.app.db);
    const audit = await auditCount();
    const enable = await kit.server.inject({
      method: 'POST',
      url: `/api/v1/admin/modules/${moduleId}/enable`,
      headers: bearer(kit.adminToken),
    });
    expect(enable.statusCode).toBe(200);
    const {
      health: _h,
      createdAt: _c,
      updatedAt: _u,
      id: _id,
      productTypeId: _p,
      kind: _k,
      authMethod: _a,
      ...settings
    } = module;
    const save = await kit.server.inject({
      method: 'PATCH',
      url: `/api/v1/admin/modules/${moduleId}`,
      headers: bearer(kit.adminToken),
      payload: settings,
    });
    expect(save.statusCode).toBe(200);
    expect(save.json()).toMatchObject({ updatedAt: module.updatedAt.toISOString() });
    expect(await dumpCatalog(kit.app.db)).toBe(before);
    expect(await auditCount()).toBe(audit);

    // A real change still writes, with its audit row.
    const disable = await kit.server.inject({
      method: 'POST',
      url: `/api/v1/admin/modules/${moduleId}/disable`,
      headers: bearer(kit.adminToken),
    });
    expect(disable.json()).toMatchObject({ enabled: false });
    expect(await dumpCatalog(kit.app.db)).not.toBe(before);
    expect(await auditCount()).toBe(audit + 1);
  });
});
