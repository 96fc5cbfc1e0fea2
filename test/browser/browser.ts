import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { resolveChromium } from './chromium.js';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Every Content-Security-Policy violation any page reported (event or console), in order. */
  cspViolations: string[];
  close(): Promise<void>;
}

// Reports each `securitypolicyviolation` event of a page to the test (init scripts are not
// subject to the page's CSP); Chromium also logs each violation to the console.
const reportViolations = `document.addEventListener('securitypolicyviolation', (e) =>
  window.__oscatCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' at ' + e.documentURI + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')'));`;

async function recordCspViolations(context: BrowserContext, page: Page): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding('__oscatCspViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(reportViolations);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}

/**
 * A real Chromium (see `resolveChromium`), headless, on a fresh profile. A browser that cannot
 * start is an error: the suite fails, never skips.
 */
export async function launchBrowser(
  viewport = { width: 1280, height: 800 },
  timezoneId?: string,
): Promise<TestBrowser> {
  const executablePath = await resolveChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), 'oscat-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport,
    ...(timezoneId ? { timezoneId } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const cspViolations = await recordCspViolations(context, page);
  return {
    context,
    page,
    cspViolations,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
