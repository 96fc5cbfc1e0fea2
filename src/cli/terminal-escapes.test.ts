import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertSyncRun } from '../sync/sync-runs.repository.js';
import { emptyCounts } from '../sync/sync.schema.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';
import { lendApp } from './cli-context.js';
import { runCliCaptured } from './cli.test-helpers.js';

// Issue 12, finding 3: a hostile VMmanager (or admin) names a template so that printing it
// retitles the window, recolours, links, erases lines or forges table rows.
const hostile = {
  title: 'Alma\u001b]0;pwned\u0007 9',
  colour: '\u001b[31mRed\u001b[0m Hat',
  link: '\u001b]8;;https://evil.example/\u001b\\Debian\u001b]8;;\u001b\\',
  erase: 'Ubuntu\r\u001b[2K\u001b[1AWindows',
  csi1: 'C1\u009b31m\u0085csi',
  bidi: 'exe.\u202etxt\u2066x\u2069',
  row: 'Rocky\n999  FORGED  ISPsystem__forged',
};
const names = Object.values(hostile);

// What a terminal would obey: anything but a plain line break.
const obeyed =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

let app: TestApp;
let tariffId: number;
let templateId: number;

beforeAll(async () => {
  app = await createTestApp();
  const module = await addTestModule(app, 'mod\u001b[5mblink');
  tariffId = (await app.tariffs.createTariff({ name: 'VPS \u001b[8mhidden', moduleIds: [module.id] }, 'test'))
    .id;
  const ids = await insertTemplates(
    app.db,
    names.map((name, i) => ({ internalName: `ISPsystem__${name}`, displayName: name, sort: i + 1 })),
  );
  templateId = ids[0]!;
  await connectTemplates(app.db, module.id, ids);
  const at = new Date('2026-03-01T10:00:00Z');
  await insertSyncRun(app.db, {
    moduleId: module.id,
    trigger: 'manual',
    outcome: 'failed',
    startedAt: at,
    finishedAt: at,
    counts: emptyCounts(),
    diff: null,
    guardReason: null,
    upstream: null,
    error: { code: 'upstream_invalid', message: `bad answer\n${hostile.title}${hostile.row}` },
    actor: null,
    slot: null,
    appliedFromRunId: null,
  });
});
afterAll(async () => app.close());

const run = (...argv: string[]) => runCliCaptured(argv, { apps: lendApp(app) });

describe('human output shows control characters and obeys none', () => {
  test.each([
    ['templates list', ['templates', 'list'], names.length],
    ['tariffs os', ['tariffs', 'os', '<tariff>'], names.length],
    ['sync history', ['sync', 'history'], 1],
    ['modules list', ['modules', 'list'], 1],
    ['tariffs list', ['tariffs', 'list'], 1],
  ])('%s: no escape reaches the terminal and every row is one line', async (_name, argv, rows) => {
    const result = await run(...argv.map((a) => (a === '<tariff>' ? String(tariffId) : a)));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).not.toMatch(obeyed);
    // A header and one line per row: no forged rows.
    expect(result.out.trimEnd().split('\n')).toHaveLength(rows + 1);
    expect(result.out).not.toMatch(/^999 +FORGED/m);
  });

  test('the escapes are shown as text, so an admin can see what the name really is', async () => {
    const { out } = await run('templates', 'list');
    expect(out).toContain('Alma\\x1b]0;pwned\\x07 9');
    expect(out).toContain('exe.\\u202etxt');
    expect(out).toContain('Rocky\\n999  FORGED');
    expect(out).toContain('C1\\x9b31m\\x85csi');
  });

  test('one-object views and lines of prose are escaped too', async () => {
    for (const argv of [
      ['templates', 'show', String(templateId)],
      ['templates', 'edit', String(templateId), '--sort', '5'],
      ['tariffs', 'show', String(tariffId)],
      ['sync', 'show', '1'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.out, argv.join(' ')).not.toMatch(obeyed);
      expect(result.out, argv.join(' ')).not.toMatch(/^999 +FORGED/m);
    }
  });

  test('error lines quoting a hostile value are escaped', async () => {
    const result = await run('tariffs', 'os', '12\u001b]0;pwned\u0007');
    expect(result.code).not.toBe(0);
    expect(result.err).toContain('\\x1b]0;pwned');
    expect(result.err).not.toMatch(obeyed);
  });

  test('--json stays exactly the data', async () => {
    const { out } = await run('templates', 'list', '--json');
    const list = JSON.parse(out) as { displayName: string }[];
    expect(list.map((t) => t.displayName).sort()).toEqual([...names].sort());
    const history = JSON.parse((await run('sync', 'history', '--json')).out) as {
      error: { message: string };
    }[];
    expect(history[0]!.error.message).toBe(`bad answer\n${hostile.title}${hostile.row}`);
  });
});

test('every command prints through printHuman / printJson (cli-io.ts), never straight to the io', () => {
  const src = join(import.meta.dirname, '..');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cli.ts'));
  expect(files.length).toBeGreaterThan(10);
  const direct = files.filter((f) => /\bio(\.(out|err)|\[\w+\])\(/.test(readFileSync(join(src, f), 'utf8')));
  expect(direct).toEqual([]);
});
