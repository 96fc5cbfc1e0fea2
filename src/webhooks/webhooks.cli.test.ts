import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lendApp } from '../cli/cli-context.js';
import { oneLineError, runCliCaptured } from '../cli/cli.test-helpers.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import { startReceiver, type Receiver } from './webhooks.test-kit.js';

let app: TestApp;
let receiver: Receiver;
let moduleId: number;

beforeAll(async () => {
  app = await createTestApp();
  receiver = await startReceiver(503);
  const ids = await insertTemplates(app.db, [{ internalName: 'ISPsystem__Ubuntu 24.04' }]);
  moduleId = (await addTestModule(app, 'msk')).id;
  await connectTemplates(app.db, moduleId, ids);
});
afterAll(async () => {
  await receiver?.close();
  await app?.webhookDelivery.close();
  await app?.close();
});

const cli = (...argv: string[]) => runCliCaptured(argv, { apps: lendApp(app) });

describe('os-catalog webhooks', () => {
  test('add prints the secret once; list, show and edit never do', async () => {
    const added = await cli(
      'webhooks',
      'add',
      '--url',
      receiver.url,
      '--events',
      'tariff.list_changed,module.sync_held',
    );
    expect(added.code, added.err).toBe(0);
    const secret = added.out.trim();
    expect(secret).toMatch(/^whsec_\S+$/);
    expect(added.err).toMatch(/shown only this once/);
    for (const argv of [
      ['list'],
      ['show', '1'],
      ['edit', '1', '--description', 'shop'],
      ['list', '--json'],
    ]) {
      const result = await cli('webhooks', ...argv);
      expect(result.code, result.err).toBe(0);
      expect(result.out).not.toContain(secret);
    }
    expect((await cli('webhooks', 'show', '1')).out).toMatch(
      /events\s+tariff\.list_changed, module\.sync_held/,
    );
    const rotated = await cli('webhooks', 'rotate-secret', '1');
    expect(rotated.code).toBe(0);
    expect(rotated.out.trim()).toMatch(/^whsec_/);
    expect(rotated.out.trim()).not.toBe(secret);
  });

  test('deliveries shows the log; redeliver queues one again', async () => {
    await app.tariffs.createTariff({ name: 'VPS', moduleIds: [moduleId] }, 'test');
    await app.webhookDelivery.handleWebhookDeliveries();
    const log = await cli('webhooks', 'deliveries', '1');
    expect(log.code, log.err).toBe(0);
    expect(log.out).toMatch(
      /tariff\.list_changed\s+pending\s+503\s+1\s+http:\/\/127\.0\.0\.1:\d+ answered 503/,
    );
    const [delivery] = await app.webhooks.listDeliveries(1);
    const again = await cli('webhooks', 'redeliver', '1', String(delivery!.id));
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`delivery ${delivery!.id}`);
  });

  test('delete removes an endpoint and says what its log held; a second delete is not_found', async () => {
    const added = await cli(
      'webhooks',
      'add',
      '--url',
      `${receiver.url}/doomed`,
      '--events',
      'tariff.list_changed',
    );
    expect(added.code, added.err).toBe(0);
    const id = (await app.webhooks.listEndpoints()).at(-1)!.id;
    await app.tariffs.createTariff({ name: 'VPS doomed', moduleIds: [moduleId] }, 'test');
    const deleted = await cli('webhooks', 'delete', String(id));
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toMatch(
      new RegExp(
        `^webhook endpoint ${id} \\(http://127\\.0\\.0\\.1:\\d+/hooks/os/doomed\\) deleted; 1 pending deliveries will not be sent`,
      ),
    );
    expect((await app.webhooks.listEndpoints()).map((e) => e.id)).not.toContain(id);
    const again = await cli('webhooks', 'delete', String(id));
    expect(again.code).toBe(1);
    expect(again.err).toMatch(oneLineError);
    expect(again.err).toContain('(not_found)');
  });

  test('bad input exits non-zero with one line and changes nothing', async () => {
    const before = JSON.stringify(await app.webhooks.listEndpoints());
    for (const argv of [
      ['add', '--url', 'ftp://x.example.test/', '--events', 'tariff.list_changed'],
      ['add', '--url', 'https://u:p@x.example.test/', '--events', 'tariff.list_changed'],
      ['add', '--url', 'https://x.example.test/', '--events', 'tariff.nothing'],
      ['edit', '1', '--enable', '--disable'],
      ['edit', '999', '--enable'],
      ['deliveries', '1', '--state', 'lost'],
      ['redeliver', '1', '999999'],
      ['delete', '0'],
      ['delete', 'one'],
    ]) {
      const result = await cli('webhooks', ...argv);
      expect(result.code, argv.join(' ')).not.toBe(0);
      expect(result.err, argv.join(' ')).toMatch(oneLineError);
    }
    expect(JSON.stringify(await app.webhooks.listEndpoints())).toBe(before);
  });
});
