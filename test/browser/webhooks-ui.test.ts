import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './browser.js';
import { buildUi, startDemoServer, type DemoServer } from './demo-server.js';

// One server, one browser and one storefront receiver for the file; the scenarios build on each other.
let server: DemoServer;
let browser: TestBrowser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

/** A storefront's webhook receiver on loopback: records every POST and answers 200. */
async function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/os-catalog`;
}

const mainNav = () => page.getByRole('navigation', { name: 'Main' });

async function openWebhooks(): Promise<void> {
  await mainNav().getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
}

async function openDeliveryLog(): Promise<void> {
  await openWebhooks();
  await page
    .getByRole('row', { name: /hooks\/os-catalog/ })
    .getByRole('link', { name: 'Delivery log' })
    .click();
  await page.getByRole('region', { name: 'Delivery log' }).waitFor();
}

/** Clicks Refresh until the log shows a delivered line with the given number of attempts. */
async function waitForDelivered(attempts: number): Promise<void> {
  const log = page.getByRole('region', { name: 'Delivery log' });
  await expect
    .poll(
      async () => {
        await log.getByRole('button', { name: /Refresh/ }).click();
        return log.locator(`tr[data-state="delivered"][data-attempts="${attempts}"]`).count();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBeGreaterThan(0);
}

beforeAll(async () => {
  browser = await launchBrowser();
  await buildUi();
  page = browser.page;
  server = await startDemoServer();
  await startReceiver();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhooks admin UI in Chromium', { timeout: 60_000 }, () => {
  it('registers an endpoint and shows its signing secret once', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Product types' }).waitFor();

    await openWebhooks();
    const form = page.getByRole('form', { name: 'Register webhook endpoint' });
    await form.getByLabel('URL').fill('ftp://storefront.example.test/hook');
    await form.getByRole('button', { name: 'Register endpoint' }).click();
    await form.getByRole('alert').first().waitFor();
    expect(await server.service.app.webhooks.listEndpoints()).toEqual([]);

    await form.getByLabel('URL').fill(receiverUrl);
    await form.getByLabel('Description').fill('Demo storefront');
    await form.getByRole('button', { name: 'Register endpoint' }).click();
    const notice = page.getByRole('status', { name: 'Signing secret' });
    const secret = await notice.locator('[data-secret]').textContent();
    expect(secret).toMatch(/^whsec_/);
    await notice.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => notice.count()).toBe(0);
    const row = page.getByRole('row', { name: /hooks\/os-catalog/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('tariff.list_changed');
    expect(await page.content()).not.toContain(secret!);
  });

  it('a sync that adds a template delivers tariff.list_changed, seen in the log, and Redeliver sends it again', async () => {
    const msk = server.demo.modules[0]!;
    server.demo.simulator.state.addTemplate({ name: 'Webhook Linux 1', clusterIds: [1, 2] });
    await mainNav().getByRole('link', { name: 'Processing modules' }).click();
    await page
      .getByRole('row', { name: new RegExp(msk.name.replace(/[()]/g, '.')) })
      .getByRole('link', { name: /Options/ })
      .click();
    await page.getByRole('button', { name: /Synchronize now/ }).click();
    await page.getByLabel('Sync result').waitFor();
    expect(await page.getByLabel('Sync result').locator('[data-outcome]').getAttribute('data-outcome')).toBe(
      'applied',
    );

    await openDeliveryLog();
    await waitForDelivered(1);
    const line = page.locator('tr[data-state="delivered"]').first();
    expect(await line.textContent()).toContain('tariff.list_changed');
    expect(await line.textContent()).toContain('200');
    await expect.poll(() => received.length).toBeGreaterThan(0);
    const event = JSON.parse(received[0]!.body) as { id: string; type: string };
    expect(event.type).toBe('tariff.list_changed');
    expect(received[0]!.body).toContain('Webhook Linux 1');
    expect(received[0]!.headers['x-oscatalog-event-id']).toBe(event.id);
    expect(received[0]!.headers['x-oscatalog-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const before = received.length;
    await line.getByRole('button', { name: 'Redeliver' }).click();
    await waitForDelivered(2);
    await expect.poll(() => received.length).toBe(before + 1);
    expect((JSON.parse(received.at(-1)!.body) as { id: string }).id).toBe(event.id);
  });

  it('rotates the secret (the new one shown once) and disables the endpoint', async () => {
    await openDeliveryLog();
    const endpoint = page.getByRole('region', { name: 'Endpoint' });
    await endpoint.getByRole('button', { name: /Rotate secret/ }).click();
    await endpoint.getByRole('button', { name: 'Rotate now' }).click();
    const secret = await page
      .getByRole('status', { name: 'Signing secret' })
      .locator('[data-secret]')
      .textContent();
    expect(secret).toMatch(/^whsec_/);
    await endpoint.getByRole('switch', { name: 'Endpoint enabled' }).uncheck();
    const [stored] = await server.service.app.webhooks.listEndpoints();
    await expect
      .poll(async () => (await server.service.app.webhooks.listEndpoints())[0]!.enabled)
      .toBe(false);
    expect(JSON.stringify(stored)).not.toContain(secret!);
    await openWebhooks();
    expect(await page.getByRole('switch', { name: `Endpoint ${receiverUrl} enabled` }).isChecked()).toBe(
      false,
    );
  });

  it('deletes the endpoint after a confirm step; Cancel keeps it', async () => {
    await openDeliveryLog();
    const endpoint = page.getByRole('region', { name: 'Endpoint' });
    const confirm = endpoint.getByRole('group', { name: 'Confirm delete' });
    await endpoint.getByRole('button', { name: /Delete endpoint/ }).click();
    expect(await confirm.textContent()).toMatch(/pending deliveries are not sent/);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(await server.service.app.webhooks.listEndpoints()).toHaveLength(1);

    await endpoint.getByRole('button', { name: /Delete endpoint/ }).click();
    await confirm.getByRole('button', { name: 'Delete now' }).click();
    // Back on the list, which no longer has the endpoint.
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet. Register one.').waitFor();
    expect(await page.getByRole('row', { name: /hooks\/os-catalog/ }).count()).toBe(0);
    expect(await server.service.app.webhooks.listEndpoints()).toEqual([]);
    const [entry] = await server.service.app.audit.listAudit({ objectType: 'webhook_endpoint', limit: 1 });
    expect(entry).toMatchObject({ action: 'webhook.delete', actor: `admin:${server.admin.email}` });
    expect(browser.cspViolations).toEqual([]);
  });
});
