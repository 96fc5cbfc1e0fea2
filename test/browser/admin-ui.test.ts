import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TestBrowser } from './browser.js';
import type { DemoServer } from './demo-server.js';
import {
  catalogState as catalogStateOf,
  escapeRegExp as escape,
  openModuleOptions as openModuleOptionsOn,
  openValues as openValuesOn,
  orderPreview as orderPreviewOn,
  simControl,
  startUiScenario,
  syncNow as syncNowOn,
  type UiScenario,
} from './ui-steps.js';

// One server and one browser for the file; the scenarios run in order and build on each other.
let server: DemoServer;
let browser: TestBrowser;
let page: Page;

const screenshotDir = new URL('../../docs/screenshots/', import.meta.url);
const takeScreenshots = process.env.OSCAT_SCREENSHOTS === '1';

/** Saves docs/screenshots/<name>.png when OSCAT_SCREENSHOTS=1 (npm run screenshots). */
async function screenshot(name: string): Promise<void> {
  if (!takeScreenshots) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname });
}

// The demo's modules and tariffs (src/demo/demo.ts).
const MSK = 'Demo MSK (msk-kvm-1)';
const AMS = 'Demo AMS (ams-kvm-2)';
const MSK_TARIFF = 'Demo VPS MSK 20 GB';
const ANYWHERE_TARIFF = 'Demo VPS Anywhere 60 GB';
const CLONE = 'Demo VPS AMS 20 GB (clone)';

const templateRow = (internalName: string): Locator =>
  page
    .getByRole('row')
    .filter({ has: page.locator('code', { hasText: new RegExp(`^${escape(internalName)}$`) }) });
const statusOf = (internalName: string) =>
  templateRow(internalName).locator('[data-status]').getAttribute('data-status');

const openValues = () => openValuesOn(page);

const openModuleOptions = (name: string) => openModuleOptionsOn(page, name);
const syncNow = () => syncNowOn(page);

const orderPreview = (tariffName: string) => orderPreviewOn(page, tariffName);

const sim = (method: string, path: string, body?: unknown) => simControl(server, method, path, body);
const catalogState = () => catalogStateOf(server);

let scenario: UiScenario | undefined;
beforeAll(async () => {
  scenario = await startUiScenario();
  ({ browser, page, server } = scenario);
}, 120_000);
afterAll(() => scenario?.close());

describe('admin UI in Chromium', { timeout: 60_000 }, () => {
  it('refuses a wrong password beside the form, then logs in', async () => {
    await page.goto(server.url);
    await screenshot('login');
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Product types' }).waitFor();
    expect(await page.getByText(server.admin.email).count()).toBe(1);
  });

  it('shows the synced templates with the status icons the API computes', async () => {
    await openValues();
    const items = await server.service.app.catalog.listTemplates();
    expect(items.length).toBeGreaterThan(5);
    await expect.poll(() => page.locator('tbody tr[data-template-id]').count()).toBe(items.length);
    for (const t of items) expect(await statusOf(t.internalName)).toBe(t.status);
    // Known from the simulator's seed and the demo tariffs:
    expect(await statusOf('ISPsystem__Ubuntu 22.04')).toBe('all'); // both clusters, small disk
    expect(await statusOf('ISPsystem__Debian 11')).toBe('some'); // cluster 2 only
    expect(await statusOf('ISPsystem__Windows Server 2022')).toBe('some'); // 40 GiB: only on the 60 GB tariff
    await screenshot('values');
  });

  it('disabling a template on one tariff turns its status to "some", and a sync keeps it disabled', async () => {
    expect(await statusOf('ISPsystem__Ubuntu 24.04')).toBe('all');
    await templateRow('ISPsystem__Ubuntu 24.04').click();
    await page.getByRole('button', { name: /Tariff plans/ }).click();
    const toggle = page.getByRole('switch', { name: `Enabled on ${MSK_TARIFF}` });
    await toggle.uncheck();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await screenshot('template-tariffs');
    await openValues();
    await expect.poll(() => statusOf('ISPsystem__Ubuntu 24.04')).toBe('some');

    await openModuleOptions(MSK);
    expect(await syncNow()).toMatch(/^(no_change|applied)$/);
    await openValues();
    expect(await statusOf('ISPsystem__Ubuntu 24.04')).toBe('some');
    await templateRow('ISPsystem__Ubuntu 24.04').click();
    await page.getByRole('button', { name: /Tariff plans/ }).click();
    expect(await page.getByRole('switch', { name: `Enabled on ${MSK_TARIFF}` }).isChecked()).toBe(false);
    expect(await page.getByRole('switch', { name: `Enabled on ${ANYWHERE_TARIFF}` }).isChecked()).toBe(true);
  });

  it('a template removed in VMmanager leaves the order preview, and the history shows the diff', async () => {
    expect(await orderPreview(MSK_TARIFF)).toContain('ISPsystem__Rocky Linux 8');
    const templates = (await sim('GET', '/templates')) as { id: number; name: string; repository: string }[];
    const rocky8 = templates.find((t) => t.name === 'Rocky Linux 8' && t.repository === 'ISPsystem');
    expect(rocky8).toBeDefined();
    await sim('DELETE', `/templates/${rocky8!.id}`);

    await openModuleOptions(MSK);
    // No scheduled sync can get there first (the demo server's schedules never fire).
    expect(await syncNow()).toBe('applied');
    expect(await page.getByLabel('Sync result').locator('[data-diff="removed"]').textContent()).toContain(
      'ISPsystem__Rocky Linux 8',
    );
    const preview = await orderPreview(MSK_TARIFF);
    expect(preview).not.toContain('ISPsystem__Rocky Linux 8');
    expect(preview).toContain('ISPsystem__Rocky Linux 9');
    await screenshot('order-preview');

    await openModuleOptions(MSK);
    const history = page.getByLabel('Sync history');
    const lastApplied = history
      .getByRole('row')
      .filter({ has: page.locator('[data-outcome="applied"]') })
      .first();
    await lastApplied.getByRole('button', { name: 'Show' }).click();
    const detail = history.locator('.run-detail');
    await detail.locator('[data-diff="removed"]').waitFor();
    expect(await detail.locator('[data-diff="removed"]').textContent()).toContain('ISPsystem__Rocky Linux 8');
  });

  it('repeated no-change syncs are one history row with their count and span', async () => {
    await openModuleOptions(MSK);
    if ((await syncNow()) !== 'no_change') expect(await syncNow()).toBe('no_change');
    const top = page.getByLabel('Sync history').locator('tbody tr').first();
    await expect.poll(() => top.locator('[data-outcome]').getAttribute('data-outcome')).toBe('no_change');
    const runId = await top.getAttribute('data-run-id');
    const count = Number(await top.getAttribute('data-run-count'));
    expect(await syncNow()).toBe('no_change');
    await expect.poll(() => top.getAttribute('data-run-count')).toBe(String(count + 1));
    expect(await top.getAttribute('data-run-id')).toBe(runId);
    expect(await top.textContent()).toContain(`×${count + 1}`);
    expect(await top.locator('td').nth(1).textContent()).toContain('–');
  });

  it("an empty answer from VMmanager is held with the guard's reason, and Discard keeps the catalog", async () => {
    const before = await catalogState();
    await sim('POST', '/faults', { kind: 'empty_list', path: '/vm/v3/os', times: 'always' });
    await openModuleOptions(MSK);
    expect(await syncNow()).toBe('held');
    await sim('DELETE', '/faults');
    const held = page.getByLabel('Held plans').locator('.held');
    await held.first().waitFor();
    expect(await held.first().locator('[data-guard-reason]').getAttribute('data-guard-reason')).toBe(
      'empty_upstream',
    );
    expect((await held.first().locator('[data-guard-reason]').textContent())?.length).toBeGreaterThan(10);
    // What Apply would do: every template of the module disconnected.
    await held.first().locator('[data-diff="removed"]').waitFor();
    expect(await held.first().locator('[data-diff="removed"]').textContent()).toContain(
      'ISPsystem__Rocky Linux 9',
    );
    await screenshot('module-options-held');
    expect(await catalogState()).toBe(before);

    // Discard every pending plan (one, unless a scheduled sync was held too).
    while ((await held.count()) > 0) {
      const count = await held.count();
      await held.first().getByRole('button', { name: 'Discard' }).click();
      await expect.poll(() => held.count()).toBeLessThan(count);
    }
    expect(await page.getByLabel('Held plans').textContent()).toContain('No sync is waiting');
    expect(await catalogState()).toBe(before);
    expect(await orderPreview(MSK_TARIFF)).toContain('ISPsystem__Rocky Linux 9');
  });

  it('a template renamed in VMmanager is offered for Remap, which carries the admin decisions over', async () => {
    const templates = (await sim('GET', '/templates')) as { id: number; name: string; repository: string }[];
    const ubuntu = templates.find((t) => t.name === 'Ubuntu 24.04' && t.repository === 'ISPsystem');
    await sim('PATCH', `/templates/${ubuntu!.id}`, { name: 'Ubuntu 24.04 LTS' });
    await openModuleOptions(MSK);
    expect(await syncNow()).toMatch(/^(applied|held|no_change)$/);
    const candidates = page.getByLabel('Rename candidates');
    const row = candidates.getByRole('row', { name: /Ubuntu 24\.04 LTS/ });
    await row.waitFor();
    await row.getByRole('button', { name: /Remap/ }).click();
    await candidates.getByText(/Moved the decisions/).waitFor();

    await openValues();
    await templateRow('ISPsystem__Ubuntu 24.04 LTS').click();
    await page.getByRole('button', { name: /Tariff plans/ }).click();
    await page.getByRole('table', { name: 'Tariff plans of the template' }).waitFor();
    expect(await page.getByRole('switch', { name: `Enabled on ${MSK_TARIFF}` }).isChecked()).toBe(false);
  });

  it('clones a tariff and gives the clone another module', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tariff plans' }).click();
    await page
      .getByRole('row', { name: new RegExp(escape(MSK_TARIFF)) })
      .getByRole('link', { name: /Clone/ })
      .click();
    await page.getByLabel('Name of the clone').fill(CLONE);
    const form = page.getByRole('form', { name: 'Clone tariff plan' });
    await form.getByLabel(MSK).uncheck();
    await form.getByLabel(AMS).check();
    await form.getByRole('button', { name: /Clone/ }).click();
    await page.getByRole('heading', { name: `Tariff plan: ${CLONE}` }).waitFor();
    expect(await page.getByRole('switch', { name: `Use ${AMS}` }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: `Use ${MSK}` }).isChecked()).toBe(false);

    await page.getByRole('link', { name: /OS list/ }).click();
    const list = page.getByRole('table', { name: 'Orderable operating systems' });
    await list.waitFor();
    const names = await list.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(names).toContain('ISPsystem__Debian 11'); // the AMS cluster only
    expect(names).not.toContain('ISPsystem__FreeBSD 14.1'); // the MSK cluster only
    await screenshot('tariff-os-list');

    const tariffs = await server.service.app.tariffs.listTariffs();
    const clone = tariffs.find((t) => t.name === CLONE);
    const amsterdam = (await server.service.app.modules.listModules()).find((m) => m.name === AMS);
    expect(clone?.moduleIds).toEqual([amsterdam?.id]);
    // The clone copied the MSK tariff's per-template decision (Ubuntu 24.04 LTS disabled there).
    const lts = (await server.service.app.catalog.listTemplates()).find(
      (t) => t.internalName === 'ISPsystem__Ubuntu 24.04 LTS',
    );
    const detail = await server.service.app.catalog.getTemplate(lts!.id);
    expect(detail.tariffs.find((t) => t.tariffId === clone?.id)?.explicit).toBe(false);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tariff plans' }).click();
    await page.getByRole('row', { name: new RegExp(escape(CLONE)) }).waitFor();
    await screenshot('tariffs');
  });

  it('adding a module with a wrong password says so and creates nothing', async () => {
    const modulesBefore = await server.service.app.modules.listModules();
    const catalogBefore = await catalogState();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Processing modules' })
      .click();
    await screenshot('modules');
    await page.getByRole('link', { name: /Add module/ }).click();
    const form = page.getByRole('form', { name: 'Add processing module' });
    await form.getByLabel('Name').fill('Frankfurt');
    await form.getByLabel('VMmanager 6 URL').fill(server.demo.simulator.url);
    await form.getByLabel('Admin email').fill(server.demo.simulator.email);
    await form.getByLabel('Password').fill('wrong-password');
    await form.getByRole('button', { name: /Test connection/ }).click();
    const result = form.locator('[data-test-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-test-result')).toBe('failed');
    expect(await result.textContent()).toMatch(/refused the email or password/);

    await form.getByRole('button', { name: 'Add module' }).click();
    const passwordError = form.locator('label', { hasText: 'Password' }).getByRole('alert');
    await passwordError.waitFor();
    expect(await passwordError.textContent()).toMatch(/password/i);
    await screenshot('module-add-wrong-password');
    expect(await server.service.app.modules.listModules()).toEqual(modulesBefore);
    expect(await catalogState()).toBe(catalogBefore);
  });

  it('tests a URL pasted with /vm/v3/ as its base, with a warning when the roles cannot be read', async () => {
    const { url, email, password } = server.demo.simulator;
    await sim('PATCH', '/modes', { accountList: false, whoamiRoles: false });
    try {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Processing modules' })
        .click();
      await page.getByRole('link', { name: /Add module/ }).click();
      const form = page.getByRole('form', { name: 'Add processing module' });
      await form.getByLabel('VMmanager 6 URL').fill(`${url}/vm/v3/`);
      await form.getByLabel('Admin email').fill(email);
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: /Test connection/ }).click();
      const result = form.locator('[data-test-result]');
      await result.waitFor();
      expect(await result.getAttribute('data-test-result')).toBe('ok');
      expect(await result.textContent()).toContain(`Connected to ${url} as ${email}`);
      expect(await form.locator('[data-test-warning]').last().textContent()).toMatch(
        /could not confirm that .* is a VMmanager administrator/,
      );
    } finally {
      await sim('PATCH', '/modes', { accountList: true, whoamiRoles: true });
    }
  });

  it('tests a connection signing in with a VMmanager API token instead of the password', async () => {
    const { url, email } = server.demo.simulator;
    const { token } = (await sim('POST', '/tokens')) as { token: string };
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Processing modules' })
      .click();
    await page.getByRole('link', { name: /Add module/ }).click();
    const form = page.getByRole('form', { name: 'Add processing module' });
    await form.getByLabel('VMmanager 6 URL').fill(url);
    await form.getByLabel('Admin email').fill(email);
    await form.getByLabel('VMmanager API token (optional, signs in instead)').fill(token);
    await form.getByRole('button', { name: /Test connection/ }).click();
    const result = form.locator('[data-test-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-test-result')).toBe('ok');
    await sim('DELETE', '/tokens');
    await form.getByRole('button', { name: /Test connection/ }).click();
    await form.locator('[data-test-result="failed"]').waitFor();
    expect(await form.locator('[data-test-result]').textContent()).toMatch(/refused the module's API token/);
  });

  it('shows the audit log of what the admin did', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor();
    await expect.poll(() => table.getByText(`admin:${server.admin.email}`).count()).toBeGreaterThan(0);
    await screenshot('audit');
  });

  it('works on a narrow screen: the menu stays reachable and nothing overflows the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openValues();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot('narrow-values');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('no page of the scenarios above broke the Content-Security-Policy', () => {
    expect(browser.cspViolations).toEqual([]);
  });

  it('logs out and lands on the login form', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });
});
