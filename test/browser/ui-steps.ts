import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { dumpCatalog } from '../../src/test/test-app.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { buildUi, startDemoServer, type DemoServer } from './demo-server.js';

// Steps the browser scenarios share: the simulator's control API, logging in, a module's options.

/** A scenario file's Chromium and demo server (the UI built from the current sources). */
export interface UiScenario {
  browser: TestBrowser;
  page: Page;
  server: DemoServer;
  close(): Promise<void>;
}

/** A browser on the demo server; `timezoneId` puts the browser in another zone than the machine's. */
export async function startUiScenario(options: { timezoneId?: string } = {}): Promise<UiScenario> {
  const browser = await launchBrowser(undefined, options.timezoneId);
  try {
    await buildUi();
    const server = await startDemoServer();
    return {
      browser,
      page: browser.page,
      server,
      async close() {
        await browser.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One call to the demo simulator's control API (`/_sim/...`); answers its JSON. */
export async function simControl(server: DemoServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.demo.simulator.url}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : null;
}

/** Logs the demo admin in on the login form. */
export async function logIn(page: Page, server: DemoServer): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Email').fill(server.admin.email);
  await page.getByLabel('Password').fill(server.admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Product types' }).waitFor();
}

/** Product types → VPS → Parameters → Operating system → Values. */
export async function openValues(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Product types' }).click();
  await page.getByRole('row', { name: /VPS/ }).getByRole('link', { name: 'Parameters' }).click();
  await page
    .getByRole('row', { name: /Operating system/ })
    .getByRole('link', { name: 'Values' })
    .click();
  await page.getByRole('table', { name: 'Operating system templates' }).waitFor();
}

/** Order preview → (tariff), for a new order or a reinstall; answers the internal names listed. */
export async function orderPreview(
  page: Page,
  tariffName: string,
  purpose: 'order' | 'reinstall' = 'order',
): Promise<string[]> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Order preview' }).click();
  await page.getByLabel('Tariff plan').selectOption({ label: tariffName });
  await page.getByRole('combobox', { name: /^For/ }).selectOption(purpose);
  return orderPreviewRows(page);
}

/**
 * The internal names the order preview lists for its choice as it stands (tariff, purpose, disk
 * and RAM): the table stays on screen while the next answer loads, so wait for the rows that
 * answer this choice (page load states say nothing about a fetch the page starts later).
 */
export async function orderPreviewRows(page: Page): Promise<string[]> {
  const asks = await page.locator('[data-asks]').getAttribute('data-asks');
  const table = page.locator(
    `table[aria-label="Order form preview"][aria-busy="false"][data-shows="${asks}"]`,
  );
  await table.waitFor();
  return table.locator('tbody tr td:nth-child(3)').allTextContents();
}

/** Processing modules → (name) → Options. */
export async function openModuleOptions(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Processing modules' })
    .click();
  await page
    .getByRole('row', { name: new RegExp(escapeRegExp(name)) })
    .getByRole('link', { name: /Options/ })
    .click();
  await page.getByRole('heading', { name: `Options: ${name}` }).waitFor();
}

/** Presses "Synchronize now" on a module's options; answers the outcome of the run it started. */
export async function syncNow(page: Page): Promise<string | null> {
  const panel = page.getByLabel('Synchronization');
  // The result of an earlier press may still be on screen (and a no-change run may answer an
  // earlier run's id): wait until the card has finished the action this press started.
  const started = Number(await panel.getAttribute('data-started'));
  await panel.getByRole('button', { name: /Synchronize now/ }).click();
  const done = page.locator(
    `[aria-label="Synchronization"][aria-busy="false"][data-started="${started + 1}"]`,
  );
  const result = done.getByLabel('Sync result');
  await result.waitFor();
  return result.locator('[data-outcome]').getAttribute('data-outcome');
}

/** The catalog tables that a held sync must leave alone (module health may change). */
export async function catalogState(server: DemoServer): Promise<string> {
  const dump = await dumpCatalog(server.service.app.db);
  return dump
    .split('\n')
    .filter((line) => !line.startsWith('processing_modules:'))
    .join('\n');
}
