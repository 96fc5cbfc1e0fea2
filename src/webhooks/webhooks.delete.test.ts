import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { queryRows } from '../db/query.js';
import { bearer, createHttpKit, errorOf, type HttpKit } from '../http/http.test-kit.js';
import { deleteEndpointRow } from './webhooks.repository.js';
import { createWebhookFixture, type WebhookFixture } from './webhooks.test-helpers.js';

let fixture: WebhookFixture;
let kit: HttpKit;

beforeAll(async () => {
  fixture = await createWebhookFixture();
  kit = await createHttpKit({ app: fixture.app });
});
afterEach(async () => fixture.reset());
afterAll(async () => {
  await kit.server.close();
  await fixture.close();
});

const call = (method: 'GET' | 'DELETE', url: string, token = kit.adminToken) =>
  kit.server.inject({ method, url, headers: bearer(token) });

const rowsOf = async (endpointId: number) =>
  (
    await queryRows<{ endpoints: number; deliveries: number; orphanEvents: number }>(
      fixture.app.db,
      sql`select (select count(*)::int from webhook_endpoints where id = ${endpointId}) as endpoints,
                 (select count(*)::int from webhook_deliveries where endpoint_id = ${endpointId}) as deliveries,
                 (select count(*)::int from webhook_events e
                   where not exists (select 1 from webhook_deliveries d where d.event_id = e.id)) as "orphanEvents"`,
    )
  )[0]!;

describe('DELETE /api/v1/admin/webhooks/{id}', () => {
  test('removes the endpoint, its secret and its log; its pending deliveries are never sent, the others are', async () => {
    const kept = await fixture.listen(200);
    const doomed = await fixture.listen(503);
    await fixture.newTariff();
    await fixture.app.webhookDelivery.handleWebhookDeliveries();
    // One attempted and waiting for its retry, one never attempted.
    await fixture.newTariff();
    expect(doomed.receiver.requests).toHaveLength(1);
    const pending = await fixture.app.webhooks.listDeliveries(doomed.endpoint.id, { state: 'pending' });
    expect(pending).toHaveLength(2);

    const res = await call('DELETE', `/api/v1/admin/webhooks/${doomed.endpoint.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    // Long past every retry: only the kept endpoint gets the second event.
    fixture.advance(3 * 60 * 60 * 1000);
    await fixture.app.webhookDelivery.handleWebhookDeliveries();
    expect(doomed.receiver.requests).toHaveLength(1);
    expect(kept.receiver.requests).toHaveLength(2);
    expect(await rowsOf(doomed.endpoint.id)).toEqual({ endpoints: 0, deliveries: 0, orphanEvents: 0 });

    for (const url of [
      `/api/v1/admin/webhooks/${doomed.endpoint.id}`,
      `/api/v1/admin/webhooks/${doomed.endpoint.id}/deliveries`,
    ]) {
      const gone = await call('GET', url);
      expect(gone.statusCode, url).toBe(404);
      expect(errorOf(gone).code).toBe('not_found');
    }
    const again = await call('DELETE', `/api/v1/admin/webhooks/${doomed.endpoint.id}`);
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('not_found');
    expect(errorOf(again).message).toContain('webhook endpoint');

    const [entry] = await fixture.app.audit.listAudit({
      objectType: 'webhook_endpoint',
      objectId: String(doomed.endpoint.id),
      limit: 1,
    });
    expect(entry).toMatchObject({
      action: 'webhook.delete',
      actor: 'token:script',
      before: { url: doomed.endpoint.url, events: ['tariff.list_changed'], enabled: true },
      after: { deliveries: { pending: 2, delivered: 0, failed: 0 } },
    });
    expect(JSON.stringify(entry)).not.toContain(doomed.secret);
    expect(JSON.stringify(entry)).not.toContain('v1:');
  });

  test('a delivery being sent while the endpoint is deleted is not recorded and not sent again', async () => {
    const { receiver, endpoint } = await fixture.listen('hang');
    await fixture.newTariff();
    const pass = fixture.app.webhookDelivery.handleWebhookDeliveries();
    await receiver.waitFor(1);
    expect((await call('DELETE', `/api/v1/admin/webhooks/${endpoint.id}`)).statusCode).toBe(204);
    receiver.release();
    await pass;
    fixture.advance(3 * 60 * 60 * 1000);
    await fixture.app.webhookDelivery.handleWebhookDeliveries();
    expect(receiver.requests).toHaveLength(1);
    expect(await rowsOf(endpoint.id)).toMatchObject({ endpoints: 0, deliveries: 0 });
  });

  test('a change that commits while an endpoint is being deleted commits, with no delivery to it', async () => {
    const kept = await fixture.listen(200);
    const doomed = await fixture.listen(200);
    let commitDelete = () => undefined as void;
    let deleted = () => undefined as void;
    const holding = new Promise<void>((resolve) => (commitDelete = resolve));
    const rowsGone = new Promise<void>((resolve) => (deleted = resolve));
    const deleting = fixture.app.db.transaction(async (tx) => {
      await deleteEndpointRow(tx, doomed.endpoint.id);
      deleted();
      await holding;
    });
    await rowsGone;
    let change: Promise<unknown>;
    if (process.env.DATABASE_URL) {
      // PostgreSQL: the change runs on another connection and waits for the delete's row lock
      // (without it, its delivery to the deleted endpoint fails on the foreign key at commit).
      change = fixture.newTariff();
      await expect
        .poll(
          async () =>
            (
              await queryRows<{ n: number }>(
                fixture.app.db,
                sql`select count(*)::int as n from pg_stat_activity
                  where wait_event_type = 'Lock' and datname = current_database()`,
              )
            )[0]!.n,
        )
        .toBe(1);
      commitDelete();
    } else {
      // PGlite has one connection: the change can only follow the delete.
      commitDelete();
      change = deleting.then(() => fixture.newTariff());
    }
    await deleting;
    await expect(change).resolves.toBeTruthy();
    await fixture.app.webhookDelivery.handleWebhookDeliveries();
    expect(kept.receiver.requests).toHaveLength(1);
    expect(doomed.receiver.requests).toHaveLength(0);
    expect(await rowsOf(doomed.endpoint.id)).toMatchObject({ endpoints: 0, deliveries: 0 });
  });

  test('bad ids and tokens are refused and delete nothing', async () => {
    const { endpoint } = await fixture.listen(200);
    const refused: [string, string, number, string][] = [
      ['zero', '/api/v1/admin/webhooks/0', 400, 'invalid_input'],
      ['not a number', '/api/v1/admin/webhooks/abc', 400, 'invalid_input'],
      ['too large', '/api/v1/admin/webhooks/2147483648', 400, 'invalid_input'],
      ['unknown', '/api/v1/admin/webhooks/999999', 404, 'not_found'],
    ];
    for (const [what, url, status, code] of refused) {
      const res = await call('DELETE', url);
      expect(res.statusCode, what).toBe(status);
      expect(errorOf(res).code, what).toBe(code);
    }
    const storefront = await call('DELETE', `/api/v1/admin/webhooks/${endpoint.id}`, kit.storefrontToken);
    expect(storefront.statusCode).toBe(403);
    expect(await rowsOf(endpoint.id)).toMatchObject({ endpoints: 1 });
  });
});
