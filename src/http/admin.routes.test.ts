import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addTestModule, connectTemplates, insertTemplates } from '../test/test-app.js';
import { bearer, createHttpKit, errorOf, type HttpKit } from './http.test-kit.js';

let kit: HttpKit;
let templateIds: number[];
let moduleId: number;
let tariffId: number;

beforeAll(async () => {
  kit = await createHttpKit();
  templateIds = await insertTemplates(kit.app.db, [
    { internalName: 'ISPsystem__Ubuntu 22.04', minDiskMib: 10240 },
    { internalName: 'ISPsystem__Debian 12' },
    { internalName: 'ISPsystem__Fresh', awaitingReview: true },
  ]);
  moduleId = (await addTestModule(kit.app, 'Cluster A')).id;
  await connectTemplates(kit.app.db, moduleId, templateIds);
  tariffId = (
    await kit.app.tariffs.createTariff({ name: 'Small', diskMib: 20480, moduleIds: [moduleId] }, 'test')
  ).id;
});
afterAll(async () => kit.close());

const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  kit.server.inject({
    method,
    url,
    headers: bearer(kit.adminToken),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe('catalog routes', () => {
  test('product types and their parameters', async () => {
    const types = await call('GET', '/api/v1/admin/product-types');
    expect(types.statusCode).toBe(200);
    const first = types.json<{ items: { id: number; name: string }[] }>().items[0]!;
    expect(first.name).toBe('VPS');
    const params = await call('GET', `/api/v1/admin/product-types/${first.id}/parameters`);
    expect(params.json<{ items: { internalName: string }[] }>().items.map((p) => p.internalName)).toContain(
      'ostempl',
    );
    expect((await call('GET', '/api/v1/admin/product-types/999/parameters')).statusCode).toBe(404);
    expect(errorOf(await call('GET', '/api/v1/admin/product-types/abc/parameters')).code).toBe(
      'invalid_input',
    );
  });

  test('the template list has status, minimum disk and review flags; includeRetired is a boolean', async () => {
    const res = await call('GET', '/api/v1/admin/templates');
    expect(res.statusCode).toBe(200);
    const items = res.json<{
      items: {
        internalName: string;
        status: string;
        minDiskMib: number | null;
        awaitingReview: boolean;
        createdAt: string;
      }[];
    }>().items;
    expect(items.find((t) => t.internalName === 'ISPsystem__Ubuntu 22.04')).toMatchObject({
      status: 'all',
      minDiskMib: 10240,
    });
    expect(items.find((t) => t.internalName === 'ISPsystem__Fresh')).toMatchObject({
      status: 'none',
      awaitingReview: true,
    });
    expect(items[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await call('GET', '/api/v1/admin/templates?includeRetired=true')).statusCode).toBe(200);
    const bad = await call('GET', '/api/v1/admin/templates?includeRetired=maybe');
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details).toMatchObject({ in: 'querystring', field: 'includeRetired' });
  });

  test('read, edit, disable, enable and approve a template', async () => {
    const id = templateIds[0]!;
    const detail = await call('GET', `/api/v1/admin/templates/${id}`);
    expect(detail.json()).toMatchObject({
      id,
      modules: [{ moduleId, connected: true }],
      tariffs: [{ tariffId, orderable: true }],
    });
    expect((await call('GET', '/api/v1/admin/templates/999999')).statusCode).toBe(404);
    const edited = await call('PATCH', `/api/v1/admin/templates/${id}`, {
      displayName: 'Ubuntu LTS',
      tags: ['linux'],
    });
    expect(edited.json()).toMatchObject({
      displayName: 'Ubuntu LTS',
      displayNameByAdmin: true,
      tags: ['linux'],
    });
    const unknownKey = await call('PATCH', `/api/v1/admin/templates/${id}`, { minDiskMib: 1 });
    expect(unknownKey.statusCode).toBe(400);
    expect(errorOf(unknownKey).details).toMatchObject({ field: 'minDiskMib' });
    const empty = await call('PATCH', `/api/v1/admin/templates/${id}`, {});
    expect(empty.statusCode).toBe(400);
    const wrongType = await call('PATCH', `/api/v1/admin/templates/${id}`, { sort: '5' });
    expect(errorOf(wrongType)).toMatchObject({ code: 'invalid_input', details: { field: 'sort' } });
    expect((await call('POST', `/api/v1/admin/templates/${id}/disable`)).json()).toMatchObject({
      disabled: true,
    });
    expect((await call('POST', `/api/v1/admin/templates/${id}/enable`)).json()).toMatchObject({
      disabled: false,
    });
    expect((await call('POST', `/api/v1/admin/templates/${templateIds[2]}/approve`)).json()).toMatchObject({
      awaitingReview: false,
    });
    expect((await call('POST', '/api/v1/admin/templates/999999/disable')).statusCode).toBe(404);
    expect(errorOf(await call('POST', `/api/v1/admin/templates/${id}/disable`, { why: 'x' })).code).toBe(
      'invalid_input',
    );
  });

  test('bulk reorder', async () => {
    const res = await call('PUT', '/api/v1/admin/templates/order', {
      items: [
        { id: templateIds[1], sort: 1 },
        { id: templateIds[0], sort: 2 },
      ],
    });
    expect(res.statusCode).toBe(204);
    const list = (await call('GET', '/api/v1/admin/templates')).json<{ items: { id: number }[] }>();
    expect(list.items[0]!.id).toBe(templateIds[1]);
    expect((await call('PUT', '/api/v1/admin/templates/order', { items: [] })).statusCode).toBe(400);
    expect(
      (await call('PUT', '/api/v1/admin/templates/order', { items: [{ id: 999999, sort: 1 }] })).statusCode,
    ).toBe(404);
  });

  test('switch a template on a module and on tariffs (one or many)', async () => {
    const id = templateIds[1]!;
    const off = await call('PUT', `/api/v1/admin/templates/${id}/modules/${moduleId}`, { connected: false });
    expect(off.json()).toMatchObject({ modules: [{ moduleId, connected: false }] });
    const on = await call('PUT', `/api/v1/admin/templates/${id}/modules/${moduleId}`, { connected: true });
    expect(on.json()).toMatchObject({ modules: [{ moduleId, connected: true }] });
    expect(
      (await call('PUT', `/api/v1/admin/templates/${id}/modules/999`, { connected: true })).statusCode,
    ).toBe(404);
    const second = (await kit.app.tariffs.createTariff({ name: 'Second', moduleIds: [moduleId] }, 'test')).id;
    const disabled = await call('PUT', `/api/v1/admin/templates/${id}/tariffs`, {
      tariffIds: [tariffId, second],
      enabled: false,
    });
    expect(disabled.json()).toMatchObject({ status: 'none' });
    const enabled = await call('PUT', `/api/v1/admin/templates/${id}/tariffs`, {
      tariffIds: [tariffId],
      enabled: true,
    });
    expect(enabled.json()).toMatchObject({ status: 'some' });
    expect(
      (await call('PUT', `/api/v1/admin/templates/${id}/tariffs`, { tariffIds: [999999], enabled: true }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call('PUT', `/api/v1/admin/templates/${id}/tariffs`, { tariffIds: [tariffId] })).statusCode,
    ).toBe(400);
  });
});

describe('tariff routes', () => {
  test('create, read, update, clone, set modules, orderable list', async () => {
    const created = await call('POST', '/api/v1/admin/tariffs', { name: 'Large', diskMib: 102400 });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: number }>().id;
    expect((await call('POST', '/api/v1/admin/tariffs', { name: 'Large' })).statusCode).toBe(409);
    expect((await call('GET', `/api/v1/admin/tariffs/${id}`)).json()).toMatchObject({
      name: 'Large',
      diskMib: 102400,
    });
    expect((await call('GET', '/api/v1/admin/tariffs/999999')).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/admin/tariffs/${id}`, { diskMib: null })).json()).toMatchObject({
      diskMib: null,
    });
    expect((await call('PATCH', `/api/v1/admin/tariffs/${id}`, { diskMib: -1 })).statusCode).toBe(400);
    expect(
      (await call('PUT', `/api/v1/admin/tariffs/${id}/modules`, { moduleIds: [moduleId] })).json(),
    ).toMatchObject({ moduleIds: [moduleId] });
    expect((await call('PUT', `/api/v1/admin/tariffs/${id}/modules`, { moduleIds: [999] })).statusCode).toBe(
      404,
    );
    const clone = await call('POST', `/api/v1/admin/tariffs/${id}/clone`, {});
    expect(clone.statusCode).toBe(201);
    expect(clone.json()).toMatchObject({ name: 'Large (copy)', clonedFromId: id, moduleIds: [moduleId] });
    expect((await call('POST', '/api/v1/admin/tariffs/999999/clone', {})).statusCode).toBe(404);
    const list = await call('GET', '/api/v1/admin/tariffs');
    expect(list.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(3);
    const orderable = await call('GET', `/api/v1/admin/tariffs/${tariffId}/orderable`);
    const items = orderable.json<{ items: { internalName: string; moduleId: number }[] }>().items;
    expect(items.map((i) => i.moduleId)).toContain(moduleId);
    const small = await call('GET', `/api/v1/admin/tariffs/${tariffId}/orderable?diskMib=5000`);
    expect(
      small.json<{ items: { internalName: string }[] }>().items.map((i) => i.internalName),
    ).not.toContain('ISPsystem__Ubuntu 22.04');
    expect((await call('GET', `/api/v1/admin/tariffs/${tariffId}/orderable?diskMib=0`)).statusCode).toBe(400);
  });
});

describe('module routes', () => {
  test('list, read, update (password write-only), disable, enable', async () => {
    const list = await call('GET', '/api/v1/admin/modules');
    expect(list.json<{ items: { id: number; health: object }[] }>().items[0]).toMatchObject({
      id: moduleId,
      health: { consecutiveFailures: 0, backoffUntil: null },
      authMethod: 'password',
    });
    // How it signs in is answered; the secret, under any key, never.
    expect(list.body).not.toMatch(/"(password|passwordEncrypted|apiToken)":/);
    expect((await call('GET', `/api/v1/admin/modules/${moduleId}`)).json()).toMatchObject({
      name: 'Cluster A',
    });
    expect((await call('GET', '/api/v1/admin/modules/999')).statusCode).toBe(404);
    const updated = await call('PATCH', `/api/v1/admin/modules/${moduleId}`, {
      sort: 5,
      password: 'new-secret',
    });
    expect(updated.json()).toMatchObject({ sort: 5 });
    expect(updated.body).not.toContain('new-secret');
    expect((await call('PATCH', `/api/v1/admin/modules/${moduleId}`, { url: 'ftp://x' })).statusCode).toBe(
      400,
    );
    expect((await call('POST', `/api/v1/admin/modules/${moduleId}/disable`)).json()).toMatchObject({
      enabled: false,
    });
    expect((await call('POST', `/api/v1/admin/modules/${moduleId}/enable`)).json()).toMatchObject({
      enabled: true,
    });
  });

  test('a connection test against an unreachable address reports why, without storing anything', async () => {
    const res = await call('POST', '/api/v1/admin/modules/test-connection', {
      url: 'http://127.0.0.1:9',
      adminEmail: 'a@b.c',
      password: 'x',
      connectTimeoutMs: 500,
      requestTimeoutMs: 500,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false });
    const stored = await call('POST', `/api/v1/admin/modules/${moduleId}/test-connection`);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ ok: false });
    expect((await call('POST', '/api/v1/admin/modules/999/test-connection')).statusCode).toBe(404);
  });
});

describe('audit, admins and tokens', () => {
  test('the audit log filters by object and by actor', async () => {
    const all = await call('GET', '/api/v1/admin/audit?limit=5');
    expect(all.json<{ items: unknown[] }>().items.length).toBe(5);
    const byActor = await call('GET', '/api/v1/admin/audit?actor=token:script');
    const items = byActor.json<{ items: { actor: string }[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.actor === 'token:script')).toBe(true);
    const byObject = await call('GET', `/api/v1/admin/audit?objectType=template&objectId=${templateIds[0]}`);
    expect(
      byObject
        .json<{ items: { objectId: string }[] }>()
        .items.every((i) => i.objectId === String(templateIds[0])),
    ).toBe(true);
    expect((await call('GET', '/api/v1/admin/audit?limit=0')).statusCode).toBe(400);
  });

  test('admins are listed without password hashes', async () => {
    const res = await call('GET', '/api/v1/admin/admins');
    expect(res.json<{ items: { email: string }[] }>().items[0]!.email).toBe(kit.admin.email);
    expect(res.body).not.toMatch(/scrypt|password/i);
  });

  test('tokens: create shows the secret once, list never does, duplicate names conflict, revoke keeps the row', async () => {
    const created = await call('POST', '/api/v1/admin/tokens', { name: 'ci', scope: 'admin' });
    expect(created.statusCode).toBe(201);
    const { token, secret } = created.json<{ token: { id: number }; secret: string }>();
    expect(secret).toMatch(/^oscat_/);
    expect((await call('POST', '/api/v1/admin/tokens', { name: 'ci', scope: 'admin' })).statusCode).toBe(409);
    expect((await call('POST', '/api/v1/admin/tokens', { name: 'x', scope: 'root' })).statusCode).toBe(400);
    const list = await call('GET', '/api/v1/admin/tokens');
    expect(list.body).not.toContain(secret);
    expect((await call('POST', `/api/v1/admin/tokens/${token.id}/revoke`)).json()).toMatchObject({
      revokedAt: expect.any(String) as unknown,
    });
    expect((await call('POST', '/api/v1/admin/tokens/999/revoke')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/admin/tokens')).body).toContain('"ci"');
  });
});

describe('operations and malformed requests', () => {
  test('healthz, readyz and metrics', async () => {
    expect((await kit.server.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await kit.server.inject('/readyz')).json()).toMatchObject({
      status: 'ready',
      migrations: { current: true },
    });
    await call('GET', '/api/v1/admin/templates');
    const metrics = (await kit.server.inject('/metrics')).body;
    expect(metrics).toContain(
      'oscat_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/admin/templates",status="200"}',
    );
    expect(metrics).toContain('oscat_templates{module="Cluster A",status=');
    expect(metrics).toContain('# TYPE oscat_sync_duration_seconds histogram');
    expect(metrics).toContain('# TYPE oscat_sync_runs gauge');
  });

  test('malformed JSON, wrong content type, too large body and unknown routes answer 4xx with a code', async () => {
    const headers = { ...bearer(kit.adminToken), 'content-type': 'application/json' };
    const json = await kit.server.inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers,
      payload: '{"name":',
    });
    expect([json.statusCode, errorOf(json).code]).toEqual([400, 'invalid_input']);
    const text = await kit.server.inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect([text.statusCode, errorOf(text).code]).toEqual([415, 'unsupported_media_type']);
    const big = await kit.server.inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers,
      payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    });
    expect([big.statusCode, errorOf(big).code]).toEqual([413, 'payload_too_large']);
    const missing = await call('GET', '/api/v1/admin/nothing-here');
    expect([missing.statusCode, errorOf(missing).code]).toEqual([404, 'not_found']);
  });
});
