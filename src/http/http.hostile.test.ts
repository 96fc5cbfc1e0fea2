import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpKit, createLoggedTestApp, errorOf, type HttpKit } from './http.test-kit.js';

// Issue 12: finding 11 (deep JSON answered 500 with a stack trace, also before login), the
// security headers, framework errors (431) in our error shape, and the /docs redirect loop.

let kit: HttpKit;
let lines: string[];

beforeAll(async () => {
  const logged = await createLoggedTestApp();
  lines = logged.lines;
  kit = await createHttpKit({ app: logged.app });
});
afterAll(async () => kit.close());

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const levelsOf = (from: number) =>
  lines.slice(from).map((l) => JSON.parse(l) as { level: number; msg: string });

describe('a deeply nested JSON body', () => {
  test.each([
    ['/api/v1/auth/login', `{"email":${deep(10_000)},"password":"x"}`],
    ['/api/v1/auth/login', deep(10_000)],
    ['/api/v1/admin/tariffs', `{"name":"x","extra":${deep(100)}}`],
  ])('on %s answers 400 invalid_input and logs nothing above info', async (url, payload) => {
    const from = lines.length;
    const res = await kit.server.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${kit.adminToken}` },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_input', details: { in: 'body' } });
    expect(levelsOf(from).filter((l) => l.level > 30)).toEqual([]);
  });

  test('a body nested as deep as the limit still parses (and is judged by its schema)', async () => {
    let value = '"x"';
    for (let i = 0; i < 62; i += 1) value = `[${value}]`;
    const res = await kit.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: `{"email":${value},"password":"x"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).message).toMatch(/email/);
  });
});

describe('security headers', () => {
  test.each(['/', '/login', '/api/v1/admin/templates', '/api/v1/nope', '/docs/', '/healthz'])(
    '%s carries CSP with frame-ancestors none, nosniff and a referrer policy',
    async (url) => {
      const res = await kit.server.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    },
  );

  test('a malformed URL (a framework error) carries them too', async () => {
    const res = await kit.server.inject({ method: 'GET', url: '/api/v1/admin/templates/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('errors raised before any route', () => {
  test('headers over the limit answer 431 in our error shape', async () => {
    const address = await kit.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = kit.server.server.address() as AddressInfo;
    expect(address).toContain(String(port));
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `GET /api/v1/admin/templates HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => void (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/x-content-type-options: nosniff/i);
    expect(JSON.parse(body!)).toEqual({
      error: { code: 'headers_too_large', message: 'the request headers are too large', details: {} },
    });
  });
});

describe('the API docs', () => {
  test('/docs/static/index.html with a query redirects once to /docs/, not to itself', async () => {
    const res = await kit.server.inject({ method: 'GET', url: '/docs/static/index.html?url=x' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/docs/');
    const next = await kit.server.inject({ method: 'GET', url: '/docs/' });
    expect(next.statusCode).toBe(200);
  });
});
