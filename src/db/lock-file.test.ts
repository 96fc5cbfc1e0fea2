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
    // The child cycles until the reader has read enough (a file outside the locked directory says
    // stop), so the reading never depends on how fast either process starts on a loaded machine.
    const stop = join(mkdtempSync(join(tmpdir(), 'oscat-lock-stop-')), 'stop');
    const lockModule = fileURLToPath(new URL('./lock-file.ts', import.meta.url));
    const script = `const { existsSync } = await import('node:fs');
      const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
      process.stdout.write('ready\\n');
      while (!existsSync(${JSON.stringify(stop)})) {
        const lock = acquireDataDirLock(${JSON.stringify(dir)}, 'cycler');
        for (let i = 0; i < 5; i += 1) lock.update({ controlUrl: 'http://127.0.0.1:' + (1000 + i) });
        lock.release();
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()),
    );
    let reads = 0;
    const bad: string[] = [];
    // A bound for a child that stopped cycling, not a measure: the loop ends at 2,000 reads.
    const giveUpAt = Date.now() + 50_000;
    while (reads < 2000 && Date.now() < giveUpAt) {
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
    writeFileSync(stop, '');
    expect(await exited).toBe(0);
    expect(reads).toBe(2000);
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
    // Each racer says "ready", tries once "go" arrives (sent to all when all are ready), and keeps
    // its lock until its standard input closes: the winner is alive while every other one tries,
    // however long each took to start.
    const lockModule = fileURLToPath(new URL('./lock-file.ts', import.meta.url));
    const script = `const { createInterface } = await import('node:readline');
      const { acquireDataDirLock } = await import(${JSON.stringify(lockModule)});
      const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
      process.stdout.write('ready\\n');
      await lines.next();
      try { acquireDataDirLock(${JSON.stringify(dir)}, 'racer'); process.stdout.write('got\\n'); }
      catch (e) { process.stdout.write((e.code ?? 'error') + '\\n'); }
      while (!(await lines.next()).done);`;
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
      const racer = { child, out: '', exited: new Promise((resolve) => child.once('exit', resolve)) };
      child.stdout.on('data', (chunk: Buffer) => void (racer.out += chunk.toString()));
      return racer;
    });
    const lines = () => racers.map((r) => r.out.trim().split('\n'));
    await expect.poll(() => lines().every((l) => l[0] === 'ready'), { timeout: 50_000 }).toBe(true);
    for (const { child } of racers) child.stdin.write('go\n');
    await expect.poll(() => lines().every((l) => l.length === 2), { timeout: 50_000 }).toBe(true);
    for (const { child } of racers) child.stdin.end();
    await Promise.all(racers.map((r) => r.exited));
    expect(
      lines()
        .map((l) => l[1])
        .sort(),
    ).toEqual(['got', 'locked', 'locked', 'locked', 'locked', 'locked']);
    expect(existsSync(join(dir, lockFileName))).toBe(true);
  }, 120_000);
});
