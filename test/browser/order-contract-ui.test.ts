import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { DemoServer } from './demo-server.js';
import {
  escapeRegExp,
  logIn,
  openValues,
  orderPreview,
  orderPreviewRows,
  startUiScenario,
  type UiScenario,
} from './ui-steps.js';

// The order contract on the admin screens: a template's lifecycle and a tariff's RAM, each
// scenario on its own (logged in once) so that either runs alone with -t.
let server: DemoServer;
let page: Page;

const screenshotDir = new URL('../../docs/screenshots/', import.meta.url);

/** Saves docs/screenshots/<name>.png when OSCAT_SCREENSHOTS=1 (npm run screenshots). */
async function screenshot(name: string): Promise<void> {
  if (process.env.OSCAT_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, screenshotDir).pathname });
}

// The demo's tariffs (src/demo/demo.ts).
const MSK_TARIFF = 'Demo VPS MSK 20 GB';
const ANYWHERE_TARIFF = 'Demo VPS Anywhere 60 GB';

const templateRow = (internalName: string): Locator =>
  page
    .getByRole('row')
    .filter({ has: page.locator('code', { hasText: new RegExp(`^${escapeRegExp(internalName)}$`) }) });
const templateId = async (internalName: string) =>
  (await server.service.app.catalog.listTemplates()).find((t) => t.internalName === internalName)!.id;
const previewRow = (internalName: string) =>
  page.getByRole('table', { name: 'Order form preview' }).getByRole('row').filter({ hasText: internalName });

/** Values → the template's page (its Edit tab holds the Lifecycle card). */
async function openTemplate(internalName: string): Promise<Locator> {
  await openValues(page);
  await templateRow(internalName).getByRole('link').click();
  const card = page.getByRole('complementary', { name: 'Lifecycle' });
  await card.waitFor();
  return card;
}

let scenario: UiScenario | undefined;
beforeAll(async () => {
  // West of UTC, so that a date shown in the browser's zone instead of the entered one is seen.
  scenario = await startUiScenario({ timezoneId: 'America/Los_Angeles' });
  ({ page, server } = scenario);
  await logIn(page, server);
}, 120_000);
afterAll(() => scenario?.close());

describe('order contract in Chromium', { timeout: 60_000 }, () => {
  it('a template deprecated with an EOL date leaves the order preview but stays in the reinstall preview', async () => {
    const centos = 'ISPsystem__CentOS Stream 9';
    const alma = await templateId('ISPsystem__AlmaLinux 9');
    expect(await orderPreview(page, MSK_TARIFF)).toContain(centos);

    // An EOL date ahead: "deprecating on …", still offered for new orders.
    let card = await openTemplate(centos);
    await card.getByLabel(/End-of-life date/).fill('2099-12-31');
    // The replacement is picked by name among the parameter's other templates, and shown by name.
    await card.getByLabel(/Replacement/).selectOption(String(alma));
    await card.getByRole('button', { name: /Deprecate/ }).click();
    await expect
      .poll(() => card.locator('[data-lifecycle]').textContent())
      .toBe('deprecating on 2099-12-31 UTC');
    await expect
      .poll(() => card.locator(`[data-replacement="${alma}"]`).textContent())
      .toBe('AlmaLinux 9 (ISPsystem__AlmaLinux 9)');
    await screenshot('template-lifecycle');
    expect(await orderPreview(page, MSK_TARIFF)).toContain(centos);
    expect(await previewRow(centos).locator('[data-lifecycle]').getAttribute('data-lifecycle')).toBe(
      'deprecating',
    );
    expect(await previewRow(centos).locator('[data-lifecycle]').textContent()).toBe(
      ' deprecating on 2099-12-31 UTC',
    );

    // Undeprecate, then an EOL date that has passed: deprecated at once.
    card = await openTemplate(centos);
    await card.getByRole('button', { name: /Undeprecate/ }).click();
    await expect.poll(() => card.locator('[data-lifecycle]').getAttribute('data-lifecycle')).toBe('active');
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await card.getByLabel(/End-of-life date/).fill(yesterday);
    await card.getByLabel(/Replacement/).selectOption(String(alma));
    await card.getByRole('button', { name: /Deprecate/ }).click();
    await expect
      .poll(() => card.locator('[data-lifecycle]').getAttribute('data-lifecycle'))
      .toBe('deprecated');

    const ordered = await orderPreview(page, MSK_TARIFF);
    expect(ordered).not.toContain(centos);
    expect(ordered).toContain('ISPsystem__AlmaLinux 9');
    expect(await orderPreview(page, MSK_TARIFF, 'reinstall')).toContain(centos);
    expect((await previewRow(centos).locator('[data-lifecycle]').textContent())?.trim()).toBe('deprecated');
    await screenshot('order-preview-reinstall');

    // The values list flags it too.
    await openValues(page);
    expect(await templateRow(centos).locator('[data-lifecycle]').textContent()).toBe('deprecated');
    expect(await templateRow(centos).locator('[data-lifecycle]').getAttribute('title')).toMatch(
      /; replacement: AlmaLinux 9$/,
    );
    expect(await templateRow('ISPsystem__AlmaLinux 9').locator('[data-lifecycle]').count()).toBe(0);
  });

  it("setting a tariff's RAM takes a template that needs more out of its order preview", async () => {
    const windows = 'ISPsystem__Windows Server 2022'; // needs 2 GiB of RAM
    const freebsd = 'ISPsystem__FreeBSD 14.1'; // needs 1 GiB
    expect(await orderPreview(page, ANYWHERE_TARIFF)).toEqual(expect.arrayContaining([windows, freebsd]));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tariff plans' }).click();
    await page
      .getByRole('row', { name: new RegExp(escapeRegExp(ANYWHERE_TARIFF)) })
      .getByRole('link', { name: /Edit/ })
      .click();
    const form = page.getByRole('form', { name: 'Edit tariff plan' });
    await form.getByLabel(/RAM, GiB/).fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    expect(
      (await server.service.app.tariffs.listTariffs()).find((t) => t.name === ANYWHERE_TARIFF)?.ramMib,
    ).toBe(1024);

    const preview = await orderPreview(page, ANYWHERE_TARIFF);
    expect(preview).not.toContain(windows);
    expect(preview).toContain(freebsd);
    // A customer who picks 2 GiB may order it again.
    await page.getByLabel('RAM, GiB').fill('2');
    expect(await orderPreviewRows(page)).toContain(windows);
  });
});
