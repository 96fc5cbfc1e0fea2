import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLockOwner } from '../db/lock-file.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { controlPath, controlTokenFileName } from './control-protocol.js';
import { runCliChild, startServeChild, stopChild } from './forward.test-helpers.js';
import { runCliCaptured } from './cli.test-helpers.js';

const runInProcess = (...argv: string[]) => runCliCaptured(argv);

describe('the CLI while `serve` runs', () => {
  let dataDir: string;
  let serverDb: TestDatabase | undefined;
  let server: ChildProcess & { output: () => string };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oscat-fwd-'));
    serverDb = process.env.DATABASE_URL ? await createTestDatabase() : undefined;
    env = {
      ...process.env,
      OSCAT_DATA_DIR: dataDir,
      OSCAT_DEMO: '0',
      OSCAT_PORT: '0',
      OSCAT_LOG_LEVEL: 'warn',
      DATABASE_URL: serverDb?.url ?? '',
    };
    server = await startServeChild(env);
    // runCli in this process finds the same data directory (or database) the server uses.
    Object.assign(process.env, { OSCAT_DATA_DIR: dataDir, OSCAT_LOG_LEVEL: 'silent' });
    if (serverDb) process.env.DATABASE_URL = serverDb.url;
  });
  afterAll(async () => {
    await stopChild(server);
    await serverDb?.close();
  });

  it('runs a command as its own process against the running server', async () => {
    const templates = await runCliChild(env, ['templates', 'list', '--json']);
    expect(templates).toMatchObject({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('runs read and write commands against the running server and returns their exit codes', async () => {
    const created = await runInProcess('tariffs', 'create', '--name', 'While serving', '--json');
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(created.out)).toMatchObject([{ name: 'While serving' }]);
    const listed = await runInProcess('tariffs', 'list');
    expect(listed).toMatchObject({ code: 0 });
    expect(listed.out).toContain('While serving');
    const bad = await runInProcess('tariffs', 'os', '999999');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: .*\(not_found\)\n$/);
    // The schema's field survives forwarding (the server runs this CLI): the reason names the flag.
    const unnamed = await runInProcess('tariffs', 'create', '--name', '');
    expect(unnamed).toMatchObject({ code: 1, err: 'error: --name must not be empty (invalid_input)\n' });
    expect((await runInProcess('tariffs', 'list')).out).toBe(listed.out);
  });

  if (!process.env.DATABASE_URL) {
    it('forwards through a control endpoint named in the lock, guarded by a token only the owner can read', async () => {
      const owner = readLockOwner(dataDir);
      expect(owner?.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const tokenFile = join(dataDir, controlTokenFileName);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const wrong = await fetch(owner!.controlUrl + controlPath, {
        method: 'POST',
        headers: { authorization: 'Bearer nope' },
        body: JSON.stringify({ argv: ['tariffs', 'list'] }),
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(owner!.controlUrl + controlPath, {
        method: 'POST',
        headers: { authorization: `Bearer ${readFileSync(tokenFile, 'utf8')}` },
        body: JSON.stringify({ argv: ['tariffs', 'list', '--json'] }),
      });
      const lines = (await right.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.at(-1)).toEqual({ exitCode: 0 });
      expect(lines[0]).toHaveProperty('out');
    });

    // Issue 12, finding 13: with the token, `vmmanager-sim` started inside the server.
    it('runs no command the CLI would not forward, even with the token', async () => {
      const owner = readLockOwner(dataDir);
      const token = readFileSync(join(dataDir, controlTokenFileName), 'utf8');
      for (const argv of [
        ['vmmanager-sim', '--port', '0'],
        ['serve'],
        ['migrate'],
        ['restore', 'x.sql'],
        ['--help'],
        [],
      ]) {
        const res = await fetch(owner!.controlUrl + controlPath, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ argv }),
        });
        expect(res.status, argv.join(' ')).toBe(403);
        expect(await res.text()).toBe('not a forwardable command\n');
      }
      expect(server.output()).not.toContain('simulator listening');
    });

    // Finding 14: the README pipes the password; while a server ran, that failed.
    it('forwards standard input of admin create, as the README shows, and never prompts on the server', async () => {
      const created = await runCliChild(
        env,
        ['admin', 'create', '--email', 'piped@example.test'],
        'a-long-password\n',
      );
      expect(created).toMatchObject({ code: 0, stderr: '' });
      expect(created.stdout).toContain('created admin piped@example.test');
      const admins = await runCliChild(env, ['admin', 'list', '--json']);
      expect(JSON.parse(admins.stdout)).toEqual([expect.objectContaining({ email: 'piped@example.test' })]);
      // Without standard input the forwarded command fails at once; the server asks nobody.
      const token = readFileSync(join(dataDir, controlTokenFileName), 'utf8');
      const res = await fetch(readLockOwner(dataDir)!.controlUrl + controlPath, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ argv: ['admin', 'create', '--email', 'nostdin@example.test'] }),
      });
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        { err: 'error: give the password on standard input (invalid_input)\n' },
        { exitCode: 1 },
      ]);
      expect(server.output()).not.toContain('Password:');
    });

    it('refuses commands that must own the data directory, naming the server', async () => {
      const migrate = await runInProcess('migrate');
      expect(migrate.code).toBe(1);
      expect(migrate.err).toMatch(/in use by process \d+ .*os-catalog serve.*\(locked\)/);
    });
  } else {
    it('uses PostgreSQL directly: no lock, no control endpoint', () => {
      expect(readLockOwner(dataDir)).toBeUndefined();
    });
  }
});
