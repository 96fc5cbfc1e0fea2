import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { App } from '../app.js';
import type { Database } from '../db/database.js';
import { queryRows } from '../db/query.js';
import { addSimModule, createSyncApp } from '../sync/sync.test-kit.js';
import type { TestDatabase } from '../test/test-database.js';
import type { VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { headerPrefix } from './backup.format.js';
import { writeBackup } from './backup.service.js';

/** A dump written into memory. */
export async function backupToText(database: Database): Promise<string> {
  const chunks: string[] = [];
  await writeBackup(database, { write: async (text) => void chunks.push(text) });
  return chunks.join('');
}

/** A dump without its header line (the time and engine differ between two dumps of the same rows). */
export const bodyOf = (dump: string): string =>
  dump
    .split('\n')
    .filter((line) => !line.startsWith(headerPrefix))
    .join('\n');

export async function* linesOfText(text: string): AsyncGenerator<string> {
  yield* text.split('\n');
}

/** The restore target shape (`OpenedDatabase`) of a test database. */
export const openedOf = (database: TestDatabase) => ({
  database,
  lock: undefined,
  migrate: (folder?: string) => database.migrate(folder),
  close: () => database.close(),
});

/** Replaces the header's JSON with `change(header)`: dumps from other releases. */
export function withHeader(dump: string, change: (header: Record<string, unknown>) => unknown): string {
  return dump
    .split('\n')
    .map((line) =>
      line.startsWith(headerPrefix)
        ? headerPrefix +
          JSON.stringify(change(JSON.parse(line.slice(headerPrefix.length)) as Record<string, unknown>))
        : line,
    )
    .join('\n');
}

/** Row counts of the tables an admin fills: zero everywhere means the database is empty. */
export async function catalogCounts(database: Database): Promise<Record<string, number>> {
  const [row] = await queryRows<Record<string, number>>(
    database.db,
    sql`select (select count(*)::int from parameter_values) as templates,
               (select count(*)::int from tariffs) as tariffs,
               (select count(*)::int from processing_modules) as modules,
               (select count(*)::int from audit_log) as audit`,
  );
  return row!;
}

/**
 * A catalog with every kind of row: a synced module (encrypted password, sync history with its
 * diff), admin decisions, awkward text (quotes, backslashes, line breaks, commas in tags),
 * tariffs, an admin, API tokens, a webhook endpoint (encrypted secret) and the audit of it all.
 */
export async function seedBusyCatalog(
  database: Database,
  sim: VmmanagerSimulator,
  secretKey: Buffer = randomBytes(32),
): Promise<{ app: App; tariffIds: number[] }> {
  const app = createSyncApp(database, { secretKey });
  const msk = await addSimModule(app, sim, 'msk');
  await app.sync.runSync(msk.id, { trigger: 'initial', actor: 'test' });
  const templates = await app.catalog.listTemplates();
  const [first, second, third] = templates;
  await app.catalog.editTemplate(
    first!.id,
    { displayName: `Ubuntu "LTS" it's \\ back\nslash`, tags: ['a,b', 'quote"d', '{braces}'] },
    'admin:ops@example.com',
  );
  await app.catalog.setTemplateDisabled(second!.id, true, 'admin:ops@example.com');
  const one = await app.tariffs.createTariff({ name: 'VPS-1 ✓', diskMib: 20480, moduleIds: [msk.id] }, 'cli');
  const two = await app.tariffs.cloneTariff(one.id, { name: 'VPS-2' }, 'cli');
  await app.catalog.setTemplateOnTariffs(third!.id, [two.id], false, 'cli');
  await app.auth.createAdmin({ email: 'ops@example.com', password: 'a long password' }, 'cli');
  await app.auth.createToken({ name: 'shop', scope: 'storefront' }, 'cli');
  const revoked = await app.auth.createToken({ name: 'old', scope: 'admin' }, 'cli');
  await app.auth.revokeToken(revoked.token.id, 'cli');
  await app.sync.runSync(msk.id, { trigger: 'manual', actor: 'cli' });
  // Last, so that no delivery is queued (a copy's worker would change the rows it compares).
  await app.webhooks.createEndpoint(
    { url: 'https://shop.example.test/hooks/os', events: ['tariff.list_changed'] },
    'cli',
  );
  return { app, tariffIds: [one.id, two.id] };
}
