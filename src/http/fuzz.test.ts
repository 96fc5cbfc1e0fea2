import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addTestModule, connectTemplates, dumpCatalog, insertTemplates } from '../test/test-app.js';
import { createHttpKit, type HttpKit } from './http.test-kit.js';

let kit: HttpKit;
let before: string;
let sent = 0;

beforeAll(async () => {
  kit = await createHttpKit();
  const ids = await insertTemplates(kit.app.db, [
    { internalName: 'ISPsystem__Ubuntu 22.04', minDiskMib: 10240 },
    { internalName: 'ISPsystem__Debian 12' },
  ]);
  const module = await addTestModule(kit.app, 'Fuzz');
  await connectTemplates(kit.app.db, module.id, ids);
  await kit.app.tariffs.createTariff({ name: 'Fuzz tariff', moduleIds: [module.id] }, 'test');
  before = await dumpCatalog(kit.app.db);
});
afterAll(async () => kit.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
// Every route with a path parameter written as {id}; ids sent are unknown or malformed, so no
// generated request can be a valid change to the catalog.
const adminRoutes: [Method, string][] = [
  ['GET', '/api/v1/admin/product-types/{id}/parameters'],
  ['GET', '/api/v1/admin/templates'],
  ['GET', '/api/v1/admin/templates/{id}'],
  ['PATCH', '/api/v1/admin/templates/{id}'],
  ['POST', '/api/v1/admin/templates/{id}/disable'],
  ['POST', '/api/v1/admin/templates/{id}/enable'],
  ['POST', '/api/v1/admin/templates/{id}/approve'],
  ['PUT', '/api/v1/admin/templates/order'],
  ['PUT', '/api/v1/admin/templates/{id}/modules/{id}'],
  ['PUT', '/api/v1/admin/templates/{id}/tariffs'],
  ['GET', '/api/v1/admin/tariffs'],
  ['POST', '/api/v1/admin/tariffs'],
  ['GET', '/api/v1/admin/tariffs/{id}'],
  ['PATCH', '/api/v1/admin/tariffs/{id}'],
  ['POST', '/api/v1/admin/tariffs/{id}/clone'],
  ['PUT', '/api/v1/admin/tariffs/{id}/modules'],
  ['GET', '/api/v1/admin/tariffs/{id}/orderable'],
  ['GET', '/api/v1/admin/modules'],
  ['POST', '/api/v1/admin/modules'],
  ['GET', '/api/v1/admin/modules/{id}'],
  ['PATCH', '/api/v1/admin/modules/{id}'],
  ['POST', '/api/v1/admin/modules/{id}/disable'],
  ['POST', '/api/v1/admin/modules/{id}/enable'],
  ['POST', '/api/v1/admin/modules/{id}/sync'],
  ['POST', '/api/v1/admin/modules/{id}/dry-run'],
  ['GET', '/api/v1/admin/sync-runs'],
  ['GET', '/api/v1/admin/sync-runs/{id}'],
  ['POST', '/api/v1/admin/sync-runs/{id}/apply'],
  ['POST', '/api/v1/admin/sync-runs/{id}/discard'],
  ['GET', '/api/v1/admin/rename-candidates'],
  ['POST', '/api/v1/admin/rename-candidates/remap'],
  ['GET', '/api/v1/admin/audit'],
  ['POST', '/api/v1/admin/tokens/{id}/revoke'],
  ['DELETE', '/api/v1/admin/tariffs/{id}'],
  ['DELETE', '/api/v1/admin/webhooks/{id}'],
];
const storefrontRoutes: [Method, string][] = [
  ['GET', '/api/v1/storefront/tariffs/{id}/os'],
  ['POST', '/api/v1/storefront/orders/check'],
  ['POST', '/api/v1/auth/login'],
];

const weirdString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '😀'.repeat(50),
    'a'.repeat(20_000),
    '../../etc/passwd',
    "' or 1=1 --",
    '{}',
    'null',
  ),
);
const weirdNumber = fc.oneof(
  fc.integer({ min: 10_000_000, max: 2147483647 }),
  fc.integer({ min: -2147483648, max: 0 }),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e308, Number.MAX_SAFE_INTEGER),
);
// A generated string may be "1" or "2" (about one in 200 is a short number), which names a row
// that exists: enable module 1 is then a valid change (the one flaky failure this test had).
// Canonical ids below 10,000,000 are left out; path-ids.test.ts covers the existing ones.
const existingIdText = /^[1-9][0-9]{0,6}$/;
const pathId = fc
  .oneof(
    weirdNumber.map(String),
    weirdString.map((s) => encodeURIComponent(s.slice(0, 300))),
    fc.constantFrom('1e3', '0x10', '%00', '%', ' 1', '1.5', 'NaN', 'Infinity', '99999999999999999999'),
  )
  .filter((id) => !existingIdText.test(id));
const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      name: fc.oneof(weirdString, weirdNumber),
      displayName: fc.oneof(weirdString, weirdNumber, fc.constant(null)),
      tariffId: fc.oneof(weirdNumber, weirdString),
      internalName: fc.oneof(weirdString, weirdNumber),
      diskMib: fc.oneof(weirdNumber, weirdString, fc.constant(null)),
      tariffIds: fc.array(fc.oneof(weirdNumber, weirdString), { maxLength: 5 }),
      moduleIds: fc.array(weirdNumber, { maxLength: 5 }),
      items: fc.array(fc.record({ id: weirdNumber, sort: weirdNumber }), { maxLength: 3 }),
      enabled: fc.oneof(fc.boolean(), weirdString),
      connected: fc.oneof(fc.boolean(), weirdString),
      force: fc.oneof(fc.boolean(), weirdString),
      url: weirdString,
      password: weirdString,
      email: weirdString,
      fromValueId: weirdNumber,
      toValueId: weirdNumber,
      sort: weirdNumber,
      tags: fc.array(weirdString, { maxLength: 5 }),
    },
    { requiredKeys: [] },
  ),
);
const body = fc.oneof(
  fc.constant(undefined).map(() => ({ payload: undefined, contentType: undefined })),
  jsonValue.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
  fc
    .constantFrom('{', '{"a":', '[1,2', 'nul', '{"name":"x"}}', '\u0000', '')
    .map((p) => ({ payload: p, contentType: 'application/json' })),
  fc
    .tuple(
      weirdString,
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/xml',
        'application/json; charset=latin1',
        'garbage',
      ),
    )
    .map(([p, contentType]) => ({ payload: p, contentType })),
);
const query = fc.dictionary(
  fc.constantFrom(
    'productTypeId',
    'includeRetired',
    'diskMib',
    'moduleId',
    'limit',
    'beforeId',
    'actor',
    'objectType',
    'objectId',
    'x',
    '__proto__',
  ),
  fc.oneof(weirdString, weirdNumber.map(String)),
  { maxKeys: 3 },
);

function requestOf(routes: [Method, string][], auth: 'admin' | 'storefront' | 'none') {
  return fc.record({
    route: fc.constantFrom(...routes),
    ids: fc.array(pathId, { minLength: 2, maxLength: 2 }),
    query,
    body,
    auth: fc.constant(auth),
  });
}

type FuzzRequest = Parameters<
  Parameters<
    typeof fc.asyncProperty<[ReturnType<typeof requestOf> extends fc.Arbitrary<infer R> ? R : never]>
  >[1]
>[0];

async function send(request: FuzzRequest) {
  const [method, template] = request.route;
  let n = 0;
  const path = template.replace(/\{id\}/g, () => request.ids[n++] ?? '1');
  const qs = new URLSearchParams(request.query).toString();
  const headers: Record<string, string> = {};
  if (request.auth === 'admin') headers.authorization = `Bearer ${kit.adminToken}`;
  if (request.auth === 'storefront') headers.authorization = `Bearer ${kit.storefrontToken}`;
  if (request.body.contentType) headers['content-type'] = request.body.contentType;
  const res = await kit.server.inject({
    method,
    url: qs ? `${path}?${qs}` : path,
    headers,
    ...(request.body.payload !== undefined ? { payload: request.body.payload } : {}),
  });
  sent += 1;
  expect(res.statusCode, `${method} ${path} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const parsed = JSON.parse(res.body) as { error?: { code?: unknown } };
    expect(typeof parsed.error?.code, res.body.slice(0, 300)).toBe('string');
  }
}

test('10,000 malformed requests: no 5xx, every 4xx with a code, and the catalog unchanged', async () => {
  const property = (routes: [Method, string][], auth: 'admin' | 'storefront' | 'none') =>
    fc.asyncProperty(requestOf(routes, auth), send);
  // A fixed default seed, so that CI sends the same 10,000 requests every run (a failure is
  // reproducible, not a matter of luck); FC_SEED sends others.
  const seed = Number(process.env.FC_SEED ?? 20261201);
  await fc.assert(property(adminRoutes, 'admin'), { numRuns: 6000, seed });
  await fc.assert(property(storefrontRoutes, 'storefront'), { numRuns: 3000, seed: seed + 1 });
  await fc.assert(property([...adminRoutes, ...storefrontRoutes], 'none'), { numRuns: 500, seed: seed + 2 });
  await fc.assert(property(adminRoutes, 'storefront'), { numRuns: 500, seed: seed + 3 });
  expect(sent).toBeGreaterThanOrEqual(10_000);
  expect(await dumpCatalog(kit.app.db)).toBe(before);
}, 180_000);
