import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addTestModule } from '../test/test-app.js';
import { bearer, createHttpKit, createLoggedTestApp, errorOf, type HttpKit } from './http.test-kit.js';

const modulePassword = 'module-secret-pw-42';
let kit: HttpKit;
let lines: string[];

beforeAll(async () => {
  const logged = await createLoggedTestApp();
  lines = logged.lines;
  kit = await createHttpKit({ app: logged.app });
});
afterAll(async () => kit.close());

const inject = (options: InjectOptions) => kit.server.inject(options);

describe('who may call what', () => {
  test('an admin route without credentials answers 401 unauthorized', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/admin/templates' });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthorized');
  });

  test('a storefront route without credentials answers 401', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/storefront/tariffs/1/os' });
    expect(res.statusCode).toBe(401);
  });

  test('an unknown or malformed token answers 401', async () => {
    for (const authorization of ['Bearer oscat_nope', 'Basic abc', 'Bearer ', 'Bearer ' + 'x'.repeat(5000)]) {
      const res = await inject({
        method: 'GET',
        url: '/api/v1/storefront/tariffs/1/os',
        headers: { authorization },
      });
      expect(res.statusCode).toBe(401);
    }
  });

  test('a storefront token on the admin API answers 403 forbidden', async () => {
    const res = await inject({
      method: 'GET',
      url: '/api/v1/admin/tariffs',
      headers: bearer(kit.storefrontToken),
    });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'forbidden', details: { reason: 'scope' } });
  });

  test('a storefront token reaches the storefront API, an admin token both', async () => {
    for (const token of [kit.storefrontToken, kit.adminToken]) {
      const res = await inject({
        method: 'GET',
        url: '/api/v1/storefront/tariffs/1/os',
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(404); // authorized; the tariff does not exist
      expect(errorOf(res).code).toBe('not_found');
    }
  });

  test('a revoked token is refused at once', async () => {
    const { token, secret } = await kit.app.auth.createToken({ name: 'temp', scope: 'storefront' }, 'test');
    const ok = await inject({
      method: 'GET',
      url: '/api/v1/storefront/tariffs/1/os',
      headers: bearer(secret),
    });
    expect(ok.statusCode).toBe(404);
    const revoke = await inject({
      method: 'POST',
      url: `/api/v1/admin/tokens/${token.id}/revoke`,
      headers: bearer(kit.adminToken),
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toMatchObject({ name: 'temp' });
    const refused = await inject({
      method: 'GET',
      url: '/api/v1/storefront/tariffs/1/os',
      headers: bearer(secret),
    });
    expect(refused.statusCode).toBe(401);
  });
});

describe('browser sessions and CSRF', () => {
  test('login sets an HttpOnly SameSite=Strict cookie and returns the CSRF token', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: kit.admin.email, password: kit.admin.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'oscat_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const body = res.json<{ csrfToken: string; admin: { email: string } }>();
    expect(body.admin.email).toBe(kit.admin.email);
    expect(body.csrfToken.length).toBeGreaterThan(20);
  });

  test('a write with the session cookie but without the CSRF header answers 403', async () => {
    const { cookie } = await kit.login();
    const res = await inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers: { cookie },
      payload: { name: 'No CSRF' },
    });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'forbidden', details: { reason: 'csrf' } });
    const wrong = await inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers: { cookie, 'x-csrf-token': 'wrong' },
      payload: { name: 'No CSRF' },
    });
    expect(wrong.statusCode).toBe(403);
    const tariffs = await kit.app.tariffs.listTariffs();
    expect(tariffs.some((t) => t.name === 'No CSRF')).toBe(false);
  });

  test('with the CSRF header the write goes through and the audit log names the admin', async () => {
    const { cookie, csrf } = await kit.login();
    const session = await inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.json()).toMatchObject({ csrfToken: csrf, admin: { email: kit.admin.email } });
    const res = await inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { name: 'With CSRF' },
    });
    expect(res.statusCode).toBe(201);
    const audit = await kit.app.audit.listAudit({
      objectType: 'tariff',
      objectId: String(res.json<{ id: number }>().id),
    });
    expect(audit[0]?.actor).toBe(`admin:${kit.admin.email}`);
  });

  test('token writes are audited as token:<name>', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/admin/tariffs',
      headers: bearer(kit.adminToken),
      payload: { name: 'By token' },
    });
    expect(res.statusCode).toBe(201);
    const audit = await kit.app.audit.listAudit({ actor: 'token:script' });
    expect(audit.some((a) => a.objectId === String(res.json<{ id: number }>().id))).toBe(true);
  });

  test('logout needs CSRF, then ends the session', async () => {
    const { cookie, csrf } = await kit.login();
    expect(
      (await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(403);
    const out = await inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  test('the session route refuses tokens (it is for browsers)', async () => {
    const res = await inject({ method: 'GET', url: '/api/v1/auth/session', headers: bearer(kit.adminToken) });
    expect(res.statusCode).toBe(403);
  });

  test('a wrong password answers 401 without saying which part was wrong', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.test', password: 'x' },
    });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).message).toBe('wrong email or password');
  });

  test('brute force on one account answers 429, even for the right password right afterwards', async () => {
    const email = 'victim@example.test';
    await kit.app.auth.createAdmin({ email, password: 'the-right-password' }, 'test');
    const codes: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.0.0.${i + 1}`,
        payload: { email, password: `guess-${i}` },
      });
      codes.push(res.statusCode);
    }
    // The 6th, from a fresh address, is the locked account's one check per 30 s (docs/api.md).
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const right = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '10.0.0.99',
      payload: { email, password: 'the-right-password' },
    });
    expect(right.statusCode).toBe(429);
    expect(errorOf(right).code).toBe('rate_limited');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(30);
  });

  test('brute force from one address across accounts answers 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '192.0.2.7',
        payload: { email: `spray${i}@example.test`, password: 'x' },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });
});

describe('secrets never leave', () => {
  test('module passwords, admin passwords, tokens and cookies appear in no response and no log line', async () => {
    const bodies: string[] = [];
    const login = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: kit.admin.email, password: kit.admin.password },
    });
    const sessionCookie = login.cookies.find((c) => c.name === 'oscat_session')!.value;
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    const cookie = `oscat_session=${sessionCookie}`;
    const create = await inject({
      method: 'PATCH',
      url: '/api/v1/admin/modules/999',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { password: modulePassword },
    });
    bodies.push(create.body);
    const module = await addTestModule(kit.app, 'Secretive');
    const patched = await inject({
      method: 'PATCH',
      url: `/api/v1/admin/modules/${module.id}`,
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { password: modulePassword },
    });
    expect(patched.statusCode).toBe(200);
    bodies.push(patched.body);
    for (const url of [
      '/api/v1/admin/modules',
      `/api/v1/admin/modules/${module.id}`,
      '/api/v1/admin/audit',
      '/api/v1/admin/tokens',
      '/api/v1/admin/admins',
      '/metrics',
    ]) {
      const res = await inject({ method: 'GET', url, headers: bearer(kit.adminToken) });
      expect(res.statusCode).toBe(200);
      bodies.push(res.body);
    }
    const everything = bodies.join('\n');
    for (const secret of [
      modulePassword,
      'pw-Secretive',
      kit.admin.password,
      kit.adminToken,
      kit.storefrontToken,
      sessionCookie,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/passwordHash|password_hash|tokenHash|scrypt\$/);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of [
      modulePassword,
      kit.admin.password,
      kit.adminToken,
      kit.storefrontToken,
      sessionCookie,
      csrf,
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  test('an unexpected error is a 500 that leaks nothing and is logged with the request id', async () => {
    const original = kit.app.audit.listAudit.bind(kit.app.audit);
    kit.app.audit.listAudit = () => Promise.reject(new Error('connection string postgres://user:hunter2@db'));
    try {
      const res = await inject({
        method: 'GET',
        url: '/api/v1/admin/audit',
        headers: { ...bearer(kit.adminToken), 'x-request-id': 'req-500-test' },
      });
      expect(res.statusCode).toBe(500);
      expect(errorOf(res).code).toBe('internal');
      expect(res.body).not.toContain('hunter2');
      expect(res.headers['x-request-id']).toBe('req-500-test');
      const logged = lines
        .map((l) => JSON.parse(l) as { reqId?: string; level: number })
        .filter((l) => l.reqId === 'req-500-test' && l.level >= 50);
      expect(logged.length).toBeGreaterThan(0);
    } finally {
      kit.app.audit.listAudit = original;
    }
  });
});
