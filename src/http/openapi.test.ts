import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHttpKit, type HttpKit } from './http.test-kit.js';

let kit: HttpKit;
beforeAll(async () => {
  kit = await createHttpKit();
});
afterAll(async () => kit.close());

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

test('/openapi.json is a valid OpenAPI 3.1 document', async () => {
  const res = await kit.server.inject('/openapi.json');
  expect(res.statusCode).toBe(200);
  const spec = res.json<Spec>();
  expect(spec.openapi).toBe('3.1.0');
  const result = await new Validator().validate(res.json<Record<string, unknown>>());
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
});

test('every API and operations route appears in the document', async () => {
  const spec = (await kit.server.inject('/openapi.json')).json<Spec>();
  const documented = new Set(
    Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    ),
  );
  const registered = kit.server.registeredRoutes
    .filter((r) => !r.hidden && r.method !== 'HEAD' && r.method !== 'OPTIONS')
    .filter(
      (r) =>
        r.url.startsWith('/api/') || ['/healthz', '/readyz', '/metrics', '/openapi.json'].includes(r.url),
    )
    .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
  expect(registered.length).toBeGreaterThanOrEqual(45);
  for (const route of registered) expect(documented, route).toContain(route);
});

test('the rendered reference is served at /docs with its own assets (works offline)', async () => {
  const page = await kit.server.inject('/docs/');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<html');
  const asset = page.body.match(/src="\.\/([^"]+\.js)"/)?.[1];
  expect(asset).toBeTruthy();
  expect((await kit.server.inject(`/docs/${asset}`)).statusCode).toBe(200);
});
