import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, lockFileName, readLockOwner } from './lock-file.js';

describe('data directory lock', () => {
  it('refuses a second owner and names the first one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const lock = acquireDataDirLock(dir, 'os-catalog serve');
    try {
      expect(() => acquireDataDirLock(dir, 'os-catalog templates list')).toThrow(
        new RegExp(`in use by process ${process.pid} on ${hostname()} \\(os-catalog serve`),
      );
    } finally {
      lock.release();
    }
    const again = acquireDataDirLock(dir, 'again');
    again.release();
  });

  it('takes over the lock of an owner that died', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    writeFileSync(
      join(dir, lockFileName),
      JSON.stringify({ pid: deadPid, hostname: hostname(), startedAt: 'then', command: 'crashed' }),
    );
    expect(readLockOwner(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir, 'new owner');
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, command: 'new owner' });
    lock.release();
  });

  it('records the control address of the owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const lock = acquireDataDirLock(dir, 'serve');
    lock.update({ controlUrl: 'http://127.0.0.1:1234' });
    expect(readLockOwner(dir)?.controlUrl).toBe('http://127.0.0.1:1234');
    lock.release();
  });

  // Issue 12, finding 5: an empty or unreadable lock file was taken for stale while its owner
  // lived, and a second server opened the same directory.
  it.each([
    ['empty', ''],
    ['damaged', '{"pid": 12'],
    ['not an owner record', '{"hello": "world"}'],
  ])('refuses a lock file that is %s, says how to recover, and leaves it as it is', (reason, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const path = join(dir, lockFileName);
    writeFileSync(path, text);
    expect(readLockOwner(dir)).toBeUndefined();
    expect(() => acquireDataDirLock(dir, 'second server')).toThrow(
      new RegExp(`cannot be read \\(${reason}\\).*remove ${path}`),
    );
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses a lock file it cannot read at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    // Root reads any file whatever its mode: a directory in its place cannot be read by anyone.
    mkdirSync(join(dir, lockFileName));
    expect(() => acquireDataDirLock(dir, 'second server')).toThrow(/cannot be read \(EISDIR\)/);
  });

  it('never shows a reader an empty or partial lock file, while it is taken, updated and released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const path = join(dir, lockFileName);
    const lockModule = fileURLToPath(new URL('./lock-file.ts', import.meta.url));
    const script = `const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
      const until = Date.now() + 2500;
      while (Date.now() < until) {
        const lock = acquireDataDirLock(${JSON.stringify(dir)}, 'cycler');
        for (let i = 0; i < 5; i += 1) lock.update({ controlUrl: 'http://127.0.0.1:' + (1000 + i) });
        lock.release();
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let reads = 0;
    const bad: string[] = [];
    const until = Date.now() + 2000;
    await new Promise((resolve) => setTimeout(resolve, 500)); // the child is loading
    while (Date.now() < until) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue; // released between two owners
      }
      reads += 1;
      try {
        if (typeof (JSON.parse(text) as { pid?: unknown }).pid !== 'number') bad.push(text);
      } catch {
        bad.push(text);
      }
    }
    expect(await exited).toBe(0);
    expect(reads).toBeGreaterThan(100);
    expect(bad).toEqual([]);
    expect(readdirSync(dir)).toEqual([]); // no temporary file left behind
  });

  it("lets exactly one of several processes take over a dead owner's lock", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oscat-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(
      join(dir, lockFileName),
      JSON.stringify({
        pid: Number(dead.stdout.toString()),
        hostname: hostname(),
        startedAt: 'then',
        command: 'crashed',
      }),
    );
    const lockModule = fileURLToPath(new URL('./lock-file.ts', import.meta.url));
    const script = `const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
      await new Promise((r) => setTimeout(r, Number(process.env.START_AT) - Date.now()));
      try { acquireDataDirLock(${JSON.stringify(dir)}, 'racer'); process.stdout.write('got'); }
      catch (e) { process.stdout.write(e.code ?? 'error'); }
      await new Promise((r) => setTimeout(r, 1500));`;
    const startAt = String(Date.now() + 4000);
    const outputs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
              env: { ...process.env, START_AT: startAt },
            });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
            child.once('exit', () => resolve(out));
          }),
      ),
    );
    expect(outputs.sort()).toEqual(['got', 'locked', 'locked', 'locked', 'locked', 'locked']);
    expect(existsSync(join(dir, lockFileName))).toBe(true);
  }, 30_000);
});
