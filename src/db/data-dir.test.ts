import { chmodSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../config.js';
import { openStorage } from './open.js';

// Issue 12, finding 4: 968 of 1,055 files of the PGlite data directory were 0666 (catalogs, WAL,
// postgresql.conf), so any local user could keep the service from starting. PGlite-only by nature:
// the test opens an embedded data directory whatever the engine of the suite.

const modesOf = (dir: string) =>
  [dir, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f))].map((path) => ({
    path,
    dir: statSync(path).isDirectory(),
    mode: statSync(path).mode & 0o777,
  }));

const opened = (dataDir: string, lines: string[] = []) =>
  openStorage(loadConfig({ OSCAT_DATA_DIR: dataDir }), 'data-dir-test', {
    logger: { warn: (_fields: unknown, message?: string) => void lines.push(message ?? '') },
  });

const expectPrivate = (dataDir: string) => {
  const entries = modesOf(dataDir);
  expect(entries.length).toBeGreaterThan(100);
  expect(entries.filter((e) => (e.mode & 0o077) !== 0).map((e) => e.path)).toEqual([]);
  expect(entries.filter((e) => e.dir && e.mode !== 0o700).map((e) => e.path)).toEqual([]);
};

describe('the embedded data directory is private to the service user', () => {
  test('on first start: the directory is 0700 and no file can be read or written by others', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'oscat-modes-')), 'data');
    const lines: string[] = [];
    const storage = await opened(dataDir, lines);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expectPrivate(dataDir);
    await storage.close();
    expectPrivate(dataDir);
    expect(lines).toEqual([]); // nothing to repair on a directory we made
  }, 60_000);

  test('an existing directory with open modes is repaired at start, with a log line', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'oscat-modes-')), 'data');
    await (await opened(dataDir)).close();
    const loose = modesOf(dataDir);
    for (const e of loose) chmodSync(e.path, e.dir ? 0o777 : 0o666);
    const lines: string[] = [];
    const storage = await opened(dataDir, lines);
    expectPrivate(dataDir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`made ${loose.length} files and directories .* private`));
    await storage.close();
  }, 60_000);
});
