import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { SimOsItem } from '../../src/vmmanager6/simulator/sim-types.js';
import type { TestBrowser } from './browser.js';
import type { DemoServer } from './demo-server.js';
import {
  catalogState,
  logIn,
  openModuleOptions,
  openValues,
  simControl,
  startUiScenario,
  syncNow,
  type UiScenario,
} from './ui-steps.js';

// Held plans, the module's way of signing in, and the Content-Security-Policy, each scenario on
// its own (logged in once) so that any one of them runs alone with -t.
let server: DemoServer;
let browser: TestBrowser;
let page: Page;

const MSK = 'Demo MSK (msk-kvm-1)';
const AMS = 'Demo AMS (ams-kvm-2)';

/** A simulator template as the input that recreates it (same id) with `PUT /_sim/templates`. */
const inputOf = (t: SimOsItem) => ({
  id: t.id,
  name: t.name,
  repositoryId: t.repository_id,
  clusterIds: t.clusters.map((c) => c.id),
  state: t.state,
  adminonly: t.adminonly,
  hddMibRequired: t.hdd_mib_required,
  minRamMib: t.min_ram_mib,
  osGroup: t.os_group,
  tags: t.tags,
  isLxdImage: t.is_lxd_image,
  ...(t.shape ? { shape: t.shape } : {}),
});

const sim = (method: string, path: string, body?: unknown) => simControl(server, method, path, body);
const moduleNamed = async (name: string) =>
  (await server.service.app.modules.listModules()).find((m) => m.name === name)!;

let scenario: UiScenario | undefined;
beforeAll(async () => {
  scenario = await startUiScenario();
  ({ browser, page, server } = scenario);
  await logIn(page, server);
}, 120_000);
afterAll(() => scenario?.close());

describe('admin UI hardening in Chromium', { timeout: 60_000 }, () => {
  it('a sync held for a much shorter list shows the held plan’s diff beside Apply', async () => {
    const originals = (await sim('GET', '/templates')) as SimOsItem[];
    const onMsk = originals.filter(
      (t) =>
        t.clusters.some((c) => c.id === 1) &&
        t.state === 'active' &&
        t.repository !== 'local' &&
        !t.is_lxd_image,
    );
    expect(onMsk.length).toBeGreaterThan(3);
    const [kept, ...gone] = onMsk;
    const before = await catalogState(server);
    await sim('PUT', '/templates', [inputOf(kept!)]);
    try {
      await openModuleOptions(page, MSK);
      expect(await syncNow(page)).toBe('held');
      const held = page.getByLabel('Held plans').locator('.held');
      await held.first().waitFor();
      expect(await held.first().locator('[data-guard-reason]').getAttribute('data-guard-reason')).toBe(
        'too_many_disconnects',
      );
      const removed = held.first().locator('[data-diff="removed"]');
      await removed.waitFor();
      const text = await removed.textContent();
      // The recorded plan, item by item: the templates no longer listed, not the one that still is.
      const runId = Number(await held.first().getAttribute('data-run-id'));
      const { diff } = await server.service.app.sync.getSyncRun(runId);
      expect(diff!.disconnect.length).toBeGreaterThan(2);
      for (const d of diff!.disconnect) expect(text).toContain(d.internalName);
      expect(diff!.disconnect.map((d) => d.internalName)).toContain(
        `${gone[0]!.repository}__${gone[0]!.name}`,
      );
      expect(text).not.toContain(`${kept!.repository}__${kept!.name}`);
      expect(await page.getByLabel('Held plans').textContent()).not.toContain('No diff recorded');
      expect(await catalogState(server)).toBe(before);

      while ((await held.count()) > 0) {
        const count = await held.count();
        await held.first().getByRole('button', { name: 'Discard' }).click();
        await expect.poll(() => held.count()).toBeLessThan(count);
      }
      expect(await catalogState(server)).toBe(before);
    } finally {
      await sim('PUT', '/templates', originals.map(inputOf));
    }
  });

  it('a sync that skips an unusable item says "1 template skipped" with the reason, and syncs the rest', async () => {
    const nameless = (await sim('POST', '/templates', {
      name: 'Nameless Linux',
      clusterIds: [1],
      shape: 'nameless',
    })) as SimOsItem;
    const added = (await sim('POST', '/templates', { name: 'Arch Linux', clusterIds: [1] })) as SimOsItem;
    try {
      await openModuleOptions(page, MSK);
      expect(await syncNow(page)).toBe('applied');
      const result = page.getByLabel('Sync result');
      const skipped = result.locator('[data-diff="skipped"]');
      await skipped.waitFor();
      expect(await skipped.locator('h4').textContent()).toMatch(/^1 template skipped:/);
      expect(await skipped.locator('li').textContent()).toMatch(/VMmanager item \d+ — .*name/i);
      expect(await result.locator('[data-diff="added"]').textContent()).toContain('ISPsystem__Arch Linux');
    } finally {
      await sim('DELETE', `/templates/${nameless.id}`);
      await sim('DELETE', `/templates/${added.id}`);
    }
  });

  it('the settings switch a module to an API token and back, and never show the token', async () => {
    const ams = await moduleNamed(AMS);
    expect(ams.authMethod).toBe('password');
    const { token } = (await sim('POST', '/tokens')) as { token: string };
    await openModuleOptions(page, AMS);
    const form = page.getByRole('form', { name: 'Module settings' });
    await form.getByLabel('Sign in with').selectOption('token');
    const tokenField = form.getByRole('textbox', { name: /^VMmanager API token/ });
    await tokenField.fill(token);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved.').waitFor();
    expect((await moduleNamed(AMS)).authMethod).toBe('token');
    expect(await tokenField.inputValue()).toBe('');

    // The token signs in: the connection test passes, and after a reload the page says "token" only.
    await page.getByRole('button', { name: /Test connection/ }).click();
    await page.getByLabel('Synchronization').locator('[data-test-result="ok"]').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: `Options: ${AMS}` }).waitFor();
    expect(await form.getByLabel('Sign in with').inputValue()).toBe('token');
    expect(await form.getByRole('textbox', { name: /^VMmanager API token/ }).inputValue()).toBe('');
    expect(await page.content()).not.toContain(token);

    // Back to the password: the switch needs it (the form does not send without it).
    const passwordField = form.getByRole('textbox', { name: /^Password/ });
    await form.getByLabel('Sign in with').selectOption('password');
    await form.getByRole('button', { name: 'Save settings' }).click();
    expect(await form.locator('input:invalid').count()).toBe(1);
    expect(await passwordField.getAttribute('required')).not.toBeNull();
    expect((await moduleNamed(AMS)).authMethod).toBe('token');
    await passwordField.fill(server.demo.simulator.password);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved.').waitFor();
    expect((await moduleNamed(AMS)).authMethod).toBe('password');
    await sim('DELETE', '/tokens');
    await page.getByRole('button', { name: /Test connection/ }).click();
    await page.getByLabel('Synchronization').locator('[data-test-result="ok"]').waitFor();
  });

  it('the main pages load without a Content-Security-Policy violation, which would be caught', async () => {
    const msk = await moduleNamed(MSK);
    const tariff = (await server.service.app.tariffs.listTariffs())[0]!;
    const paths = [
      '/products/product-types',
      '/products/tariffs',
      `/products/tariffs/${tariff.id}/edit`,
      '/products/tariffs/new',
      '/integrations/modules',
      '/integrations/modules/new',
      `/integrations/modules/${msk.id}/options`,
      '/integrations/webhooks',
      '/order-preview',
      '/audit',
    ];
    for (const path of paths) {
      await page.goto(`${server.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    // The values list and a template's page are reached through the menu (their ids are the demo's);
    // in the app, a page is loaded when its content shows (no load state follows a click).
    await openValues(page);
    await page.locator('tbody tr[data-template-id]').first().getByRole('link').click();
    await page.getByRole('complementary', { name: 'Lifecycle' }).waitFor();
    await page.goto(`${server.url}/docs/`);
    await page.locator('.swagger-ui').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(browser.cspViolations).toEqual([]);

    // The recorder works: an inline style, which the UI's policy forbids, is reported.
    await page.goto(`${server.url}/audit`);
    await page.locator('h1').first().waitFor();
    await page.evaluate(
      "document.head.append(Object.assign(document.createElement('style'), { textContent: 'body { color: red }' }))",
    );
    await expect.poll(() => browser.cspViolations.length).toBeGreaterThan(0);
    expect(browser.cspViolations.join('\n')).toMatch(/style-src/);
    browser.cspViolations.length = 0;
  });
});
