import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../db/lock-file.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import type { CliIo } from './cli-io.js';
import { runCli } from './main.js';
import { runCliCaptured } from './cli.test-helpers.js';

const parseFirst = (out: string): Record<string, unknown> =>
  (JSON.parse(out) as Record<string, unknown>[])[0]!;

const run = (...argv: string[]) => runCliCaptured(argv);

describe('the CLI', () => {
  let serverDb: TestDatabase | undefined;

  beforeAll(async () => {
    process.env.OSCAT_DATA_DIR = mkdtempSync(join(tmpdir(), 'oscat-cli-'));
    process.env.OSCAT_LOG_LEVEL = 'silent';
    if (process.env.DATABASE_URL) {
      serverDb = await createTestDatabase();
      process.env.DATABASE_URL = serverDb.url;
    }
  });
  afterAll(async () => serverDb?.close());

  it('creates, lists, clones tariffs and shows the orderable list as JSON', async () => {
    expect(await run('migrate')).toMatchObject({ code: 0, out: 'migrations applied\n' });
    const created = await run('tariffs', 'create', '--name', 'VPS-1', '--disk-mib', '20480', '--json');
    expect(created.code).toBe(0);
    const [tariff] = JSON.parse(created.out) as { id: number; name: string; diskMib: number }[];
    expect(tariff).toMatchObject({ name: 'VPS-1', diskMib: 20480 });

    const cloned = await run('tariffs', 'clone', String(tariff!.id), '--json');
    expect(parseFirst(cloned.out)).toMatchObject({ name: 'VPS-1 (copy)', clonedFromId: tariff!.id });

    const listed = await run('tariffs', 'list');
    expect(listed.out).toMatch(/ID\s+NAME\s+DISK/);
    expect(listed.out).toContain('VPS-1 (copy)');

    expect(
      parseFirst((await run('tariffs', 'set-modules', String(tariff!.id), '', '--json')).out).moduleIds,
    ).toEqual([]);
    expect(
      JSON.parse((await run('tariffs', 'os', String(tariff!.id), '--disk-mib', '10240', '--json')).out),
    ).toEqual([]);
    expect(JSON.parse((await run('templates', 'list', '--json')).out)).toEqual([]);
    expect(JSON.parse((await run('modules', 'list', '--json')).out)).toEqual([]);
  });

  it('fails with one line and a non-zero code on bad input, and changes nothing', async () => {
    const before = (await run('tariffs', 'list', '--json')).out;
    for (const argv of [
      ['tariffs', 'create', '--name', ''],
      ['tariffs', 'create', '--name', 'x', '--disk-mib', '-1'],
      ['tariffs', 'create', '--name', 'x', '--ram-mib', '0'],
      ['tariffs', 'os', '1', '--ram-mib', 'lots'],
      ['tariffs', 'os', 'abc'],
      ['tariffs', 'os', '999999'],
      ['tariffs', 'clone', '1', '--name', 'VPS-1'],
      ['tariffs', 'set-modules', '1', '42'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(result.err).toMatch(/^error: .+ \((invalid_input|not_found|conflict)\)\n$/);
    }
    expect((await run('tariffs', 'list', '--json')).out).toBe(before);
  });

  it('answers --help with 0 and an unknown command with the usage code', async () => {
    const help = await run('tariffs', 'os', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--disk-mib');
    expect(help.out).toContain('--ram-mib');
    expect((await run('no-such-command')).code).toBe(64);
  });
});

describe('the CLI on a data directory owned by another process', () => {
  it('refuses with a one-line message naming the owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-cli-lock-'));
    const lock = acquireDataDirLock(dir, 'os-catalog serve');
    try {
      const result = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/dev.ts', 'tariffs', 'list'],
        {
          env: { ...process.env, OSCAT_DATA_DIR: dir, DATABASE_URL: '' },
        },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
      expect(result.stderr).toContain('os-catalog serve');
    } finally {
      lock.release();
    }
  });
});

describe('forwarding to a running server', () => {
  it('knows every command: forwarded, or one that owns the data directory (or a process) itself', async () => {
    const { buildProgram } = await import('./main.js');
    const { forwardableCommands } = await import('./control-protocol.js');
    const io: CliIo = { out: () => undefined, err: () => undefined, readStdin: async () => undefined };
    const program = buildProgram({
      io,
      apps: {
        withApp: () => Promise.reject(new Error('unused')),
        withDatabase: () => Promise.reject(new Error('unused')),
      },
      setExitCode: () => undefined,
      runCli,
    });
    const ownDirectory = ['serve', 'migrate', 'restore', 'vmmanager-sim'];
    const names = program.commands.map((c) => c.name()).sort();
    expect(names).toEqual([...forwardableCommands, ...ownDirectory].sort());
  });
});
