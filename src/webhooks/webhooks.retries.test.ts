import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../app.js';
import { openPostgres, type Database } from '../db/database.js';
import { createSecretBox } from '../shared/secrets.js';
import type { TestApp } from '../test/test-app.js';
import { deliveryPolicy } from './webhook-delivery.policy.js';
import { claimDueDeliveries, recordAttempt } from './outbox.repository.js';
import { createWebhookFixture, type WebhookFixture } from './webhooks.test-helpers.js';

let fixture: WebhookFixture;
let app: TestApp;

beforeAll(async () => {
  fixture = await createWebhookFixture();
  app = fixture.app;
});
afterEach(async () => fixture.reset());
afterAll(async () => fixture.close());

const listen = (...args: Parameters<WebhookFixture['listen']>) => fixture.listen(...args);
const newTariff = () => fixture.newTariff();

describe('retries', () => {
  test('a failing endpoint is retried with a doubling wait, then marked failed about a day later', async () => {
    const { receiver, endpoint } = await listen(500);
    await newTariff();
    const start = app.clock.now().getTime();
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 0,
      retrying: 1,
      failed: 0,
    });
    // Not due again yet: nothing is sent.
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    expect(receiver.requests).toHaveLength(1);
    const waits: number[] = [];
    for (;;) {
      const [delivery] = await app.webhooks.listDeliveries(endpoint.id);
      if (delivery!.state !== 'pending') break;
      const wait = delivery!.nextAttemptAt!.getTime() - app.clock.now().getTime();
      waits.push(Math.round(wait / 1000));
      fixture.advance(wait);
      await app.webhookDelivery.handleWebhookDeliveries();
    }
    expect(waits.slice(0, 4)).toEqual([30, 60, 120, 240]);
    expect(Math.max(...waits)).toBe(deliveryPolicy.maxRetryDelayMs / 1000);
    const elapsed = app.clock.now().getTime() - start;
    expect(elapsed).toBeGreaterThan(20 * 3600_000);
    expect(elapsed).toBeLessThanOrEqual(deliveryPolicy.giveUpAfterMs);
    const [failed] = await app.webhooks.listDeliveries(endpoint.id);
    expect(failed).toMatchObject({ state: 'failed', lastStatusCode: 500, nextAttemptAt: null });
    expect(failed!.attempts).toBe(receiver.requests.length);
    expect(failed!.lastError).toBe(`${new URL(receiver.url).origin} answered 500`);
    // Every attempt carried the same event id.
    expect(new Set(receiver.requests.map((r) => r.headers['x-oscatalog-event-id'])).size).toBe(1);

    // Redeliver: due now, and delivered once the endpoint answers.
    receiver.answer = 204;
    const redelivered = await app.webhooks.redeliver(endpoint.id, failed!.id, 'test');
    expect(redelivered.state).toBe('pending');
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });
    const [done] = await app.webhooks.listDeliveries(endpoint.id);
    expect(done).toMatchObject({ state: 'delivered', lastStatusCode: 204, attempts: failed!.attempts + 1 });
    expect(receiver.requests.at(-1)!.headers['x-oscatalog-event-id']).toBe(failed!.eventId);
  });
});

describe('two instances on one database', () => {
  let other: App;
  let otherDatabase: Database | undefined;

  beforeAll(async () => {
    // PostgreSQL: another pool, as another process would have. PGlite: one process anyway.
    const url = app.testDatabase.url;
    otherDatabase = url ? await openPostgres(url, { max: 5 }) : undefined;
    other = createApp({
      database: otherDatabase ?? app.testDatabase,
      secrets: createSecretBox(fixture.secretKey),
      clock: app.clock,
    });
  });
  afterAll(async () => {
    await other.webhookDelivery.close();
    await otherDatabase?.close();
  });

  test('deliver each event exactly once', async () => {
    const { receiver } = await listen(200);
    for (let i = 0; i < 12; i += 1) await newTariff();
    const passes = await Promise.all([
      app.webhookDelivery.handleWebhookDeliveries(),
      other.webhookDelivery.handleWebhookDeliveries(),
      app.webhookDelivery.handleWebhookDeliveries(),
      other.webhookDelivery.handleWebhookDeliveries(),
    ]);
    expect(passes.reduce((n, p) => n + p.delivered, 0)).toBe(12);
    const ids = receiver.requests.map((r) => r.headers['x-oscatalog-event-id']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});

describe('a worker that dies while sending', () => {
  test('its lease runs out, another worker sends the delivery, and its late record changes nothing', async () => {
    const { receiver, endpoint } = await listen(200);
    await newTariff();
    const [claimed] = await claimDueDeliveries(app.db, {
      owner: 'dead-worker',
      now: app.clock.now(),
      leaseMs: deliveryPolicy.leaseMs,
      limit: 10,
    });
    expect(claimed).toBeDefined();
    // While the lease holds, no other worker takes it.
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 0,
      retrying: 0,
      failed: 0,
    });
    fixture.advance(deliveryPolicy.leaseMs + 1000);
    expect(await app.webhookDelivery.handleWebhookDeliveries()).toEqual({
      delivered: 1,
      retrying: 0,
      failed: 0,
    });
    expect(receiver.requests).toHaveLength(1);
    const late = await recordAttempt(app.db, {
      id: claimed!.id,
      owner: 'dead-worker',
      at: app.clock.now(),
      outcome: { delivered: false, status: 500, error: 'late', nextAttemptAt: null },
    });
    expect(late).toBe(false);
    expect((await app.webhooks.listDeliveries(endpoint.id))[0]).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
  });
});
