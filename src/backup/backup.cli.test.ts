import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardToCli, oneLineError, runCliCaptured } from '../cli/cli.test-helpers.js';
import { loadConfig } from '../config.js';
import { readLockOwner } from '../db/lock-file.js';
import { startService, type RunningService } from '../service.js';
import { readSecretKey } from '../shared/secrets.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { bodyOf, seedBusyCatalog } from './backup.test-helpers.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const serverUrl = process.env.DATABASE_URL;

/** Points the CLI of this process at a data directory and, optionally, a PostgreSQL database. */
const useTarget = (dataDir: string, databaseUrl?: string) => {
  process.env.OSCAT_DATA_DIR = dataDir;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  else delete process.env.DATABASE_URL;
};

const serviceEnv = (dataDir: string, databaseUrl?: string) =>
  loadConfig({
    OSCAT_DATA_DIR: dataDir,
    OSCAT_DEMO: '0',
    OSCAT_PORT: '0',
    OSCAT_LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });

/** A new data directory holding the source's secret key: what moving an installation copies. */
const dataDirWithKeyOf = (source: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'oscat-restore-'));
  copyFileSync(join(source, 'secret.key'), join(dir, 'secret.key'));
  return dir;
};

async function storefrontAnswers(service: RunningService, token: string, tariffIds: number[]) {
  const answers: string[] = [];
  for (const id of tariffIds) {
    const response = await fetch(`${service.url}/api/v1/storefront/tariffs/${id}/os`, {
      headers: { authorization: `Bearer ${token}` },
    });
    answers.push(`${response.status} ${await response.text()}`);
  }
  return answers;
}

const lists = async (service: RunningService) => ({
  templates: await service.app.catalog.listTemplates(),
  tariffs: await service.app.tariffs.listTariffs(),
});

describe(`backup while the server runs, restore into ${onPostgres ? 'PostgreSQL and back' : 'another data directory'}`, () => {
  let sim: VmmanagerSimulator;
  let sourceDir: string;
  let source: RunningService;
  const running: RunningService[] = [];
  const databases: TestDatabase[] = [];
  let token: string;
  let tariffIds: number[];

  beforeAll(async () => {
    process.env.OSCAT_LOG_LEVEL = 'silent';
    sim = await startVmmanagerSimulator();
    sourceDir = mkdtempSync(join(tmpdir(), 'oscat-backup-'));
    source = await startService(serviceEnv(sourceDir), { forwardCli: forwardToCli });
    running.push(source);
    const key = readSecretKey({ keyFile: join(sourceDir, 'secret.key') })!;
    const seeded = await seedBusyCatalog(source.app.database, sim, key);
    await seeded.app.sync.close();
    tariffIds = [...seeded.tariffIds, 999];
    useTarget(sourceDir);
    token = (
      await runCliCaptured(['tokens', 'create', '--name', 'storefront', '--scope', 'storefront'])
    ).out.trim();
  });
  afterAll(async () => {
    for (const service of running.reverse()) await service.stop();
    for (const database of databases) await database.close();
    await sim.close();
  });

  it('dumps through the running server, restores, and the copy answers the storefront byte for byte', async () => {
    const before = await storefrontAnswers(source, token, tariffIds);
    const sourceLists = await lists(source);
    const file = join(sourceDir, 'backup.sql');
    useTarget(sourceDir);
    expect(readLockOwner(sourceDir)?.pid).toBe(process.pid); // the server owns it: the command is forwarded
    const backup = await runCliCaptured(['backup', '--out', file]);
    expect(backup).toMatchObject({ code: 0, err: '' });
    expect(backup.out).toMatch(
      /^backup of schema \d+ \(pglite\) written to .*backup\.sql: .*parameter_values/,
    );
    expect(readdirSync(sourceDir).filter((f) => f.includes('partial'))).toEqual([]);

    // Moving to PostgreSQL keeps OSCAT_DATA_DIR (so secret.key) and sets DATABASE_URL.
    const target = onPostgres ? await newEmptyDatabase(databases) : undefined;
    const targetDir = target ? sourceDir : dataDirWithKeyOf(sourceDir);
    useTarget(targetDir, target?.url);
    const restored = await runCliCaptured(['restore', file]);
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toMatch(/^restored .*backup\.sql \(taken .* from pglite\): .*\d+ parameter_values/);

    const copy = await startService(serviceEnv(targetDir, target?.url), { forwardCli: forwardToCli });
    running.push(copy);
    // The copy's own backup, taken while it runs, has the same rows (before anyone uses a token).
    const second = join(targetDir, 'second.sql');
    expect(await runCliCaptured(['backup', '--out', second])).toMatchObject({ code: 0 });
    expect(bodyOf(readFileSync(second, 'utf8'))).toBe(bodyOf(readFileSync(file, 'utf8')));

    const ready = await fetch(`${copy.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await storefrontAnswers(copy, token, tariffIds)).toEqual(before);
    expect(before.filter((a) => a.startsWith('200 ') && a.includes('"internalName"'))).toHaveLength(2);
    expect(await lists(copy)).toEqual(sourceLists);

    // And once more into the embedded engine: PGlite → PostgreSQL → PGlite on the PostgreSQL run.
    const thirdDir = dataDirWithKeyOf(sourceDir);
    useTarget(thirdDir);
    expect(await runCliCaptured(['restore', second])).toMatchObject({ code: 0 });
    const third = join(thirdDir, 'third.sql');
    expect(await runCliCaptured(['backup', '--out', third])).toMatchObject({ code: 0 });
    expect(bodyOf(readFileSync(third, 'utf8'))).toBe(bodyOf(readFileSync(file, 'utf8')));
  }, 120_000);

  it('refuses to restore into the running server’s database, and is never forwarded', async () => {
    useTarget(sourceDir);
    const result = await runCliCaptured(['restore', join(sourceDir, 'backup.sql')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(oneLineError);
    expect(result.err).toMatch(/in use by process \d+ .*os-catalog serve/);
  });

  it('fails in one line with no file left behind when the output cannot be written', async () => {
    useTarget(sourceDir);
    const result = await runCliCaptured(['backup', '--out', join(sourceDir, 'missing', 'x.sql')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(oneLineError);
    expect(result.err).toMatch(/^error: cannot write .*x\.sql: /);
    expect(existsSync(join(sourceDir, 'missing'))).toBe(false);
  });

  it('writes the dump to standard output with --out -, and the summary to stderr', async () => {
    useTarget(sourceDir);
    const result = await runCliCaptured(['backup', '--out', '-', '--json']);
    expect(result.code).toBe(0);
    expect(result.out.split('\n')[0]).toBe('-- os-catalog dump');
    expect(JSON.parse(result.err)).toMatchObject({ file: '-', header: { engine: 'pglite' } });
  });

  it('answers bad usage with 64, and refusals with one line and 1', async () => {
    expect((await runCliCaptured(['backup'])).code).toBe(64);
    expect((await runCliCaptured(['restore'])).code).toBe(64);
    const help = await runCliCaptured(['restore', '--help']);
    expect(help).toMatchObject({ code: 0 });
    expect(help.out).toContain('Examples:');
    const notDump = join(sourceDir, 'not-a-dump.sql');
    writeFileSync(notDump, 'select 1;\n');
    useTarget(dataDirWithKeyOf(sourceDir), serverUrl ? (await newEmptyDatabase(databases)).url : undefined);
    const refused = await runCliCaptured(['restore', notDump]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: .*not-a-dump\.sql is not an os-catalog dump .*\(invalid_input\)\n$/);

    // A data directory with another key: the dump's module password and webhook secret do not decrypt.
    const otherKeyDir = mkdtempSync(join(tmpdir(), 'oscat-restore-'));
    writeFileSync(join(otherKeyDir, 'secret.key'), `${randomBytes(32).toString('base64')}\n`, {
      mode: 0o600,
    });
    useTarget(otherKeyDir, serverUrl ? (await newEmptyDatabase(databases)).url : undefined);
    const wrongKey = await runCliCaptured(['restore', join(sourceDir, 'backup.sql')]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toMatch(oneLineError);
    expect(wrongKey.err).toMatch(
      /^error: 1 module password and 1 webhook endpoint secret in .*backup\.sql cannot be decrypted with this secret key: .*\(invalid_input\)\n$/,
    );
    expect(wrongKey.out).toBe('');
  });
});

/** A new PostgreSQL database with no schema (the tests move DATABASE_URL around: restore it first). */
async function newEmptyDatabase(list: TestDatabase[]): Promise<TestDatabase> {
  process.env.DATABASE_URL = serverUrl;
  const database = await createTestDatabase({ migrated: false });
  list.push(database);
  return database;
}
