import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.js';
import type { AppError } from '../shared/errors.js';
import { codeMigrationHashes, migrationsFolderUpTo } from '../db/migrate.js';
import { createSecretBox } from '../shared/secrets.js';
import { queryRows } from '../db/query.js';
import { insertTemplates } from '../test/test-app.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { restoreBackup } from './restore.service.js';
import {
  backupToText,
  bodyOf,
  catalogCounts,
  linesOfText,
  openedOf,
  seedBusyCatalog,
  withHeader,
} from './backup.test-helpers.js';
import { createSyncApp } from '../sync/sync.test-kit.js';

const key = randomBytes(32);
const secrets = createSecretBox(key);

/** The error a refused restore threw (a restore that succeeds fails the test). */
const refusalOf = (promise: Promise<unknown>): Promise<AppError> =>
  promise.then(
    () => {
      throw new Error('the restore was not refused');
    },
    (error: unknown) => error as AppError,
  );

const restoreText = (
  text: string,
  target: TestDatabase,
  options = {},
  box: ReturnType<typeof createSecretBox> | null = secrets,
) =>
  restoreBackup(
    { name: 'dump.sql', lines: linesOfText(text) },
    { opened: openedOf(target), secrets: box ?? undefined },
    options,
  );

const webhookEndpointCount = async (database: TestDatabase) =>
  (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from webhook_endpoints`))[0]!.n;

describe('backup and restore on one engine', () => {
  let sim: VmmanagerSimulator;
  let source: TestDatabase;
  let app: App;
  let tariffIds: number[];
  let dump: string;
  const targets: TestDatabase[] = [];
  const newTarget = async (options?: { migrated?: boolean }) => {
    const target = await createTestDatabase(options);
    targets.push(target);
    return target;
  };

  beforeAll(async () => {
    sim = await startVmmanagerSimulator();
    source = await createTestDatabase();
    ({ app, tariffIds } = await seedBusyCatalog(source, sim, key));
    dump = await backupToText(source);
  });
  afterAll(async () => {
    await app.sync.close();
    for (const target of targets) await target.close();
    await source.close();
    await sim.close();
  });

  it('restores every row, sequence and order-form list into an empty database', async () => {
    const target = await newTarget();
    const summary = await restoreText(dump, target);
    expect(summary.rows.parameter_values).toBeGreaterThan(10);
    expect(summary.rows.sync_runs).toBe(2);
    expect(summary.undecryptableModules).toBe(0);
    expect(bodyOf(await backupToText(target))).toBe(bodyOf(dump));

    const restored = createSyncApp(target, { secretKey: key });
    for (const id of tariffIds) {
      expect(await restored.tariffs.listOrderableTemplates(id)).toEqual(
        await app.tariffs.listOrderableTemplates(id),
      );
    }
    expect(await restored.catalog.listTemplates()).toEqual(await app.catalog.listTemplates());
    expect((await restored.modules.getModuleConnection(1)).password).toBe(sim.password);
    // Sequences stand where they stood: new rows get fresh ids.
    const [newId] = await insertTemplates(target.db, [{ internalName: 'ISPsystem__Fresh' }]);
    expect(newId).toBe(Math.max(...(await app.catalog.listTemplates()).map((t) => t.id)) + 1);
    const tariff = await restored.tariffs.createTariff({ name: 'After restore' }, 'test');
    expect(tariff.id).toBe(Math.max(...tariffIds) + 1);
  });

  it('refuses a dump from a newer schema, naming both, and changes nothing', async () => {
    const target = await newTarget();
    const newer = withHeader(dump, (h) => ({
      ...h,
      schema: { migrations: codeMigrationHashes().length + 1, fingerprint: 'x' },
    }));
    const refusal = await refusalOf(restoreText(newer, target));
    expect(refusal.code).toBe('conflict');
    expect(refusal.message).toMatch(/newer os-catalog \(schema of \d+ migrations; this one has \d+\)/);
    expect(await catalogCounts(target)).toEqual({ templates: 0, tariffs: 0, modules: 0, audit: 0 });
  });

  it('refuses a dump of another schema history', async () => {
    const target = await newTarget();
    const other = withHeader(dump, (h) => ({
      ...h,
      schema: { ...(h.schema as object), fingerprint: 'f00' },
    }));
    const refusal = await refusalOf(restoreText(other, target));
    expect(refusal.code).toBe('invalid_input');
    expect(refusal.message).toContain('schema history that is not this os-catalog');
  });

  it('refuses a non-empty target, listing what it holds, and changes nothing', async () => {
    const target = await newTarget();
    await insertTemplates(target.db, [{ internalName: 'ISPsystem__Already here' }]);
    const refusal = await refusalOf(restoreText(dump, target));
    expect(refusal.code).toBe('conflict');
    expect(refusal.message).toMatch(/^the target database is not empty \(parameter_values: 1\)/);
    expect(await catalogCounts(target)).toMatchObject({ templates: 1, tariffs: 0 });
  });

  it('refuses what is not a dump, and a dump cut short, restoring nothing', async () => {
    const target = await newTarget();
    for (const [text, why] of [
      ['', /not an os-catalog dump \(its first line is not/],
      ['select 1;\n', /not an os-catalog dump \(its first line is not/],
      ['-- os-catalog dump\n-- header: {"format":1}\n', /not an os-catalog dump \(header/],
    ] as const) {
      const refusal = await refusalOf(restoreText(text, target));
      expect(refusal.code).toBe('invalid_input');
      expect(refusal.message).toMatch(why);
    }
    const cut = dump.split('\n').slice(0, -3).join('\n');
    expect((await refusalOf(restoreText(cut, target))).message).toBe(
      'dump.sql is incomplete (no end marker): nothing was restored',
    );
    expect(await catalogCounts(target)).toEqual({ templates: 0, tariffs: 0, modules: 0, audit: 0 });
  });

  it('refuses module passwords and webhook secrets another key encrypted, unless told to restore them anyway', async () => {
    const target = await newTarget();
    const otherKey = createSecretBox(randomBytes(32));
    const refusal = await refusalOf(restoreText(dump, target, {}, otherKey));
    expect(refusal.code).toBe('invalid_input');
    expect(refusal.message).toMatch(
      /^1 module password and 1 webhook endpoint secret in dump.sql cannot be decrypted with this secret key: .*nothing was restored$/,
    );
    expect(refusal.details).toMatchObject({
      reason: 'undecryptable_secrets',
      modules: 1,
      webhookEndpoints: 1,
    });
    expect(await catalogCounts(target)).toEqual({ templates: 0, tariffs: 0, modules: 0, audit: 0 });
    expect(await webhookEndpointCount(target)).toBe(0);
    const noKey = await refusalOf(restoreText(dump, target, {}, null));
    expect(noKey.message).toMatch(/^1 module password and 1 webhook endpoint secret .* with no secret key/);
    const summary = await restoreText(dump, target, { allowUndecryptable: true }, otherKey);
    expect(summary).toMatchObject({ undecryptableModules: 1, undecryptableWebhookSecrets: 1 });
    expect(await catalogCounts(target)).toMatchObject({ modules: 1 });
  });

  it('refuses a dump whose only undecryptable secret is a webhook endpoint’s, and changes nothing', async () => {
    const onlyWebhooks = await newTarget();
    const sourceApp = createSyncApp(onlyWebhooks, { secretKey: key });
    await sourceApp.webhooks.createEndpoint(
      { url: 'https://shop.example.test/only', events: ['module.sync_held'] },
      'cli',
    );
    const webhookDump = await backupToText(onlyWebhooks);
    const target = await newTarget({ migrated: false });
    const refusal = await refusalOf(restoreText(webhookDump, target, {}, createSecretBox(randomBytes(32))));
    expect(refusal.message).toMatch(/^1 webhook endpoint secret in dump.sql cannot be decrypted/);
    expect(await webhookEndpointCount(target)).toBe(0);
    expect(await catalogCounts(target)).toEqual({ templates: 0, tariffs: 0, modules: 0, audit: 0 });
    // Nothing half-done is left behind: the right key restores into the same target.
    expect(await restoreText(webhookDump, target)).toMatchObject({ undecryptableWebhookSecrets: 0 });
    expect(await webhookEndpointCount(target)).toBe(1);
  });

  it('loads an older release’s dump into a new database and migrates it to this schema', async () => {
    const count = codeMigrationHashes().length;
    const old = await newTarget({ migrated: false });
    const folder = migrationsFolderUpTo(count - 1);
    await old.migrate(folder);
    // The code's schema has columns the older one lacks: insert as that release did.
    await old.db.execute(
      sql`insert into parameter_values (parameter_id, display_name, internal_name)
          values (1, 'From an older release', 'ISPsystem__From an older release')`,
    );
    const olderDump = await backupToText(old);
    expect(olderDump).toContain(`"migrations":${count - 1}`);

    const migrated = await newTarget();
    const refusal = await refusalOf(restoreText(olderDump, migrated));
    expect(refusal.message).toContain(`newer schema (${count} migrations) than the dump (${count - 1})`);
    const fresh = await newTarget({ migrated: false });
    const summary = await restoreText(olderDump, fresh);
    expect(summary).toMatchObject({ migratedFrom: count - 1, migratedTo: count });
    expect(await createSyncApp(fresh).catalog.listTemplates()).toMatchObject([
      { internalName: 'ISPsystem__From an older release' },
    ]);
    expect(await backupToText(fresh)).toContain(`"migrations":${count},`);
  });
});
