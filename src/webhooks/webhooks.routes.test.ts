import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../db/query.js';
import { bearer, createLoggedHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';

let kit: HttpKit;
let lines: string[];

beforeAll(async () => {
  ({ kit, lines } = await createLoggedHttpKit());
});
afterAll(async () => kit.close());

const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  kit.server.inject({
    method,
    url,
    headers: bearer(kit.adminToken),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

// Everything the endpoint API could change, to check that refused input changes nothing.
const snapshot = async () =>
  JSON.stringify(
    await queryRows(
      kit.app.db,
      sql`select (select coalesce(json_agg(e order by e.id), '[]') from webhook_endpoints e) as endpoints,
                 (select count(*)::int from audit_log) as audit`,
    ),
  );

describe('webhook endpoints API', () => {
  test('registering shows the secret once; it is stored encrypted and never shown or logged again', async () => {
    const res = await call('POST', '/api/v1/admin/webhooks', {
      url: 'https://shop.example.test/hooks/os?key=abc',
      events: ['tariff.list_changed', 'template.deprecated'],
      description: 'main shop',
    });
    expect(res.statusCode).toBe(201);
    const { endpoint, secret } = res.json<{ endpoint: { id: number; enabled: boolean }; secret: string }>();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({ enabled: true, events: ['tariff.list_changed', 'template.deprecated'] });
    expect(endpoint).not.toHaveProperty('secret');

    const answers = [
      await call('GET', '/api/v1/admin/webhooks'),
      await call('GET', `/api/v1/admin/webhooks/${endpoint.id}`),
      await call('PATCH', `/api/v1/admin/webhooks/${endpoint.id}`, { enabled: false }),
      await call('GET', '/api/v1/admin/audit'),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(answer.body).not.toContain(secret);
    }
    const stored = await queryRows<{ secret_encrypted: string }>(
      kit.app.db,
      sql`select secret_encrypted from webhook_endpoints where id = ${endpoint.id}`,
    );
    expect(stored[0]!.secret_encrypted).toMatch(/^v1:/);
    expect(stored[0]!.secret_encrypted).not.toContain(secret.slice(6));
    expect(lines.join('\n')).not.toContain(secret);
  });

  test('rotating gives a new secret, shown once; the endpoint keeps everything else', async () => {
    const created = (
      await call('POST', '/api/v1/admin/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        events: ['module.sync_held'],
      })
    ).json<{ endpoint: { id: number; url: string }; secret: string }>();
    const rotated = await call('POST', `/api/v1/admin/webhooks/${created.endpoint.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json<{ endpoint: { id: number; url: string; events: string[] }; secret: string }>();
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(created.secret);
    expect(body.endpoint).toMatchObject({
      id: created.endpoint.id,
      url: 'http://127.0.0.1:9/hook',
      events: ['module.sync_held'],
    });
    expect(lines.join('\n')).not.toContain(body.secret);
  });

  test('bad input answers 4xx with a code and a message, and changes nothing', async () => {
    const id = (await call('GET', '/api/v1/admin/webhooks')).json<{ items: { id: number }[] }>().items[0]!.id;
    const before = await snapshot();
    const refused: [string, 'POST' | 'PATCH' | 'GET', string, unknown, number, string][] = [
      [
        'ftp URL',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'ftp://shop.example.test/x', events: ['tariff.list_changed'] },
        400,
        'invalid_input',
      ],
      [
        'user:pass@',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'https://u:p@shop.example.test/', events: ['tariff.list_changed'] },
        400,
        'invalid_input',
      ],
      [
        'not a URL',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'https://', events: ['tariff.list_changed'] },
        400,
        'invalid_input',
      ],
      [
        'unknown event',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'https://shop.example.test/', events: ['tariff.gone'] },
        400,
        'invalid_input',
      ],
      [
        'no events',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'https://shop.example.test/', events: [] },
        400,
        'invalid_input',
      ],
      [
        'unknown key',
        'POST',
        '/api/v1/admin/webhooks',
        { url: 'https://shop.example.test/', events: ['tariff.list_changed'], secret: 'mine' },
        400,
        'invalid_input',
      ],
      ['empty change', 'PATCH', `/api/v1/admin/webhooks/${id}`, {}, 400, 'invalid_input'],
      [
        'bad URL on change',
        'PATCH',
        `/api/v1/admin/webhooks/${id}`,
        { url: 'javascript:alert(1)' },
        400,
        'invalid_input',
      ],
      ['unknown endpoint', 'PATCH', '/api/v1/admin/webhooks/999999', { enabled: true }, 404, 'not_found'],
      [
        'unknown endpoint rotate',
        'POST',
        '/api/v1/admin/webhooks/999999/rotate-secret',
        undefined,
        404,
        'not_found',
      ],
      [
        'unknown delivery',
        'POST',
        `/api/v1/admin/webhooks/${id}/deliveries/999999/redeliver`,
        undefined,
        404,
        'not_found',
      ],
      [
        'bad state filter',
        'GET',
        `/api/v1/admin/webhooks/${id}/deliveries?state=lost`,
        undefined,
        400,
        'invalid_input',
      ],
    ];
    for (const [what, method, url, payload, status, code] of refused) {
      const res = await call(method, url, payload);
      expect(res.statusCode, what).toBe(status);
      expect(errorOf(res).code, what).toBe(code);
      expect(errorOf(res).message, what).toBeTruthy();
    }
    expect(await snapshot()).toBe(before);
  });

  test('a storefront token cannot read or register endpoints', async () => {
    const res = await kit.server.inject({
      method: 'GET',
      url: '/api/v1/admin/webhooks',
      headers: bearer(kit.storefrontToken),
    });
    expect(res.statusCode).toBe(403);
  });
});
