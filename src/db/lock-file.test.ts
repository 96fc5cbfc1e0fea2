import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
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
});
