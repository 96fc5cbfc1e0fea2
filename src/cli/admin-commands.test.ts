import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../service.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { oneLineError, runCliCaptured, startForwardingServer, type CliResult } from './cli.test-helpers.js';

interface Listed {
  id: number;
  internalName: string;
}

const json = <T>(result: CliResult): T => {
  expect(result, result.err).toMatchObject({ code: 0, err: '' });
  return JSON.parse(result.out) as T;
};
const first = <T>(result: CliResult): T => json<T[]>(result)[0]!;
const addWebhook = (url: string, events: string) =>
  runCliCaptured(['webhooks', 'add', '--url', url, '--events', events]);

const addModule = (sim: VmmanagerSimulator, name: string) =>
  runCliCaptured(
    ['modules', 'add', '--name', name, '--url', sim.url, '--email', sim.email, '--password-stdin', '--json'],
    { stdin: sim.password + '\n' },
  );

/** The admin commands of the API, run as a user runs them (the CLI opens the database itself). */
describe('the CLI admin commands', () => {
  let sim: VmmanagerSimulator;
  let database: TestDatabase | undefined;
  let templates: Listed[];
  let moduleId: number;
  let tariffId: number;

  beforeAll(async () => {
    sim = await startVmmanagerSimulator();
    process.env.OSCAT_DATA_DIR = mkdtempSync(join(tmpdir(), 'oscat-admin-cli-'));
    process.env.OSCAT_LOG_LEVEL = 'silent';
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      process.env.DATABASE_URL = database.url;
    }
    const added = await addModule(sim, 'msk');
    moduleId = first<{ module: { id: number } }>(added).module.id;
    tariffId = first<{ id: number }>(
      await runCliCaptured(['tariffs', 'create', '--name', 'VPS-1', '--modules', String(moduleId), '--json']),
    ).id;
    templates = json<Listed[]>(await runCliCaptured(['templates', 'list', '--json']));
  });
  afterAll(async () => {
    await sim.close();
    await database?.close();
  });

  it('deprecates a template with an EOL date and a replacement, and undeprecates it', async () => {
    const id = String(templates[1]!.id);
    const replacement = String(templates[2]!.id);
    const ahead = await runCliCaptured([
      'templates',
      'deprecate',
      id,
      '--eol',
      '2999-01-01',
      '--replacement',
      replacement,
    ]);
    expect(ahead.out).toBe(
      `template ${id} (${templates[1]!.internalName}): deprecating (EOL 2999-01-01T00:00:00.000Z), replaced by template ${replacement}\n`,
    );
    expect((await runCliCaptured(['templates', 'show', id])).out).toMatch(/lifecycle +deprecating/);
    const row = (out: string) =>
      out.split('\n').find((line) => line.split(/ {2,}/).includes(templates[1]!.internalName));
    expect(row((await runCliCaptured(['templates', 'list'])).out)).toMatch(/\bdeprecating\b/);
    const now = first<{ lifecycle: string }>(await runCliCaptured(['templates', 'deprecate', id, '--json']));
    expect(now.lifecycle).toBe('deprecated');
    const tariff = first<{ tariffs: { tariffId: number; reason: string | null }[] }>(
      await runCliCaptured(['templates', 'show', id, '--json']),
    ).tariffs.find((t) => t.tariffId === tariffId);
    expect(tariff?.reason).toBe('deprecated');
    expect(row((await runCliCaptured(['templates', 'list'])).out)).toMatch(/\bdeprecated\b/);
    // The reinstall list an admin previews: the deprecated template is there, flagged; the order list leaves it out.
    const listOf = async (...extra: string[]) =>
      json<{ id: number; lifecycle: { state: string } | null }[]>(
        await runCliCaptured(['tariffs', 'os', String(tariffId), ...extra, '--json']),
      ).find((t) => t.id === Number(id));
    expect(await listOf()).toBeUndefined();
    expect(await listOf('--purpose', 'order')).toBeUndefined();
    expect((await listOf('--purpose', 'reinstall'))?.lifecycle?.state).toBe('deprecated');
    const reinstall = await runCliCaptured(['tariffs', 'os', String(tariffId), '--purpose', 'reinstall']);
    expect(row(reinstall.out)).toMatch(/\bdeprecated\b/);
    const badPurpose = await runCliCaptured(['tariffs', 'os', String(tariffId), '--purpose', 'rebuild']);
    expect(badPurpose.code).toBe(1);
    expect(badPurpose.err).toMatch(oneLineError);
    expect((await runCliCaptured(['templates', 'undeprecate', id])).out).toMatch(/: active\n$/);
    const again = await runCliCaptured(['templates', 'undeprecate', id]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/not deprecated \(conflict\)/);
    for (const eol of ['tomorrow', '2027-13-45', '2027-02-30']) {
      const bad = await runCliCaptured(['templates', 'deprecate', id, '--eol', eol]);
      expect(bad.code, eol).toBe(1);
      // The reason names the flag the user typed, not the service's field.
      expect(bad.err, eol).toBe(
        `error: --eol must be a date (YYYY-MM-DD) or an ISO date-time, not "${eol}" (invalid_input)\n`,
      );
    }
    expect(
      first<{ lifecycle: string }>(await runCliCaptured(['templates', 'show', id, '--json'])).lifecycle,
    ).toBe('active');
  });

  it('shows, edits, disables, enables and approves a template', async () => {
    const id = String(templates[0]!.id);
    const shown = await runCliCaptured(['templates', 'show', id]);
    expect(shown.out).toMatch(new RegExp(`internal name +${templates[0]!.internalName}`));
    expect(shown.out).toMatch(/TARIFF +NAME +EXPLICIT/);
    const edited = first<{ displayName: string; sort: number; tags: string[] }>(
      await runCliCaptured([
        'templates',
        'edit',
        id,
        '--name',
        'Alma 8',
        '--sort',
        '5',
        '--tag',
        'a',
        '--tag',
        'b,c',
        '--json',
      ]),
    );
    expect(edited).toMatchObject({ displayName: 'Alma 8', sort: 5, tags: ['a', 'b,c'] });
    expect(
      first<{ tags: string[] }>(await runCliCaptured(['templates', 'edit', id, '--clear-tags', '--json']))
        .tags,
    ).toEqual([]);
    expect((await runCliCaptured(['templates', 'disable', id])).out).toMatch(
      /^template \d+ .*flags disabled\n$/,
    );
    expect(
      first<{ disabled: boolean }>(await runCliCaptured(['templates', 'enable', id, '--json'])).disabled,
    ).toBe(false);
    // A template new in VMmanager under the hold policy awaits review until approved.
    expect((await runCliCaptured(['modules', 'edit', String(moduleId), '--policy', 'hold'])).code).toBe(0);
    sim.state.addTemplate({ id: 9001, name: 'Arch Linux', clusterIds: [1] });
    expect((await runCliCaptured(['sync', '--module', String(moduleId)])).code).toBe(0);
    const held = json<(Listed & { awaitingReview: boolean })[]>(
      await runCliCaptured(['templates', 'list', '--json']),
    ).find((t) => t.awaitingReview)!;
    expect(held.internalName).toContain('Arch Linux');
    const approved = first<{ awaitingReview: boolean }>(
      await runCliCaptured(['templates', 'approve', String(held.id), '--json']),
    );
    expect(approved.awaitingReview).toBe(false);
    const again = await runCliCaptured(['templates', 'approve', String(held.id)]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^error: template \d+ is not awaiting review \(conflict\)\n$/);
  });

  it('reorders, switches on tariffs and connects templates to modules', async () => {
    const [a, b] = templates;
    expect((await runCliCaptured(['templates', 'reorder', `${a!.id}=900`, `${b!.id}=901`])).out).toBe(
      'sort set on 2 templates\n',
    );
    const off = first<{ tariffs: { tariffId: number; explicit: boolean | null; orderable: boolean }[] }>(
      await runCliCaptured(['templates', 'tariffs', String(b!.id), '--off', String(tariffId), '--json']),
    );
    expect(off.tariffs).toMatchObject([{ tariffId, explicit: false, orderable: false }]);
    const os = json<{ id: number }[]>(await runCliCaptured(['tariffs', 'os', String(tariffId), '--json']));
    expect(os.map((t) => t.id)).not.toContain(b!.id);
    const disconnected = first<{ modules: { moduleId: number; connected: boolean }[] }>(
      await runCliCaptured([
        'templates',
        'disconnect',
        String(a!.id),
        '--module',
        String(moduleId),
        '--json',
      ]),
    );
    expect(disconnected.modules).toMatchObject([{ moduleId, connected: false }]);
    const connected = await runCliCaptured([
      'templates',
      'connect',
      String(a!.id),
      '--module',
      String(moduleId),
    ]);
    expect(connected.out).toMatch(new RegExp(`\\n${moduleId} +msk +yes`));
  });

  it('shows, edits, disables and enables a module; the password is never printed', async () => {
    const id = String(moduleId);
    expect((await runCliCaptured(['modules', 'show', id])).out).toMatch(/schedule +\*\/30 \* \* \* \* \*/);
    const edited = first<Record<string, unknown>>(
      await runCliCaptured(
        [
          'modules',
          'edit',
          id,
          '--schedule',
          '*/30 * * * *',
          '--policy',
          'hold',
          '--guard-share',
          '0.25',
          '--max-answer-bytes',
          '1048576',
          '--include-no-os',
          '--webhook',
          'none',
          '--password-stdin',
          '--json',
        ],
        { stdin: sim.password + '\n' },
      ),
    );
    expect(edited).toMatchObject({
      schedule: '*/30 * * * *',
      newTemplatePolicy: 'hold',
      guardMaxDisconnectShare: 0.25,
      maxAnswerBytes: 1048576,
      includeNoOs: true,
    });
    expect(JSON.stringify(edited)).not.toContain(sim.password);
    expect((await runCliCaptured(['modules', 'disable', id])).out).toMatch(
      /^module \d+ \(msk\): .* disabled,/,
    );
    expect(
      json<{ id: number }[]>(await runCliCaptured(['tariffs', 'os', String(tariffId), '--json'])),
    ).toEqual([]);
    expect(
      first<{ enabled: boolean }>(await runCliCaptured(['modules', 'enable', id, '--json'])).enabled,
    ).toBe(true);
  });

  it('shows and edits a tariff', async () => {
    expect((await runCliCaptured(['tariffs', 'show', String(tariffId)])).out).toMatch(/VPS-1/);
    const edited = first<{ name: string; diskMib: number | null }>(
      await runCliCaptured([
        'tariffs',
        'edit',
        String(tariffId),
        '--name',
        'VPS-S',
        '--disk-mib',
        '10240',
        '--ram-mib',
        '2048',
        '--json',
      ]),
    );
    expect(edited).toMatchObject({ name: 'VPS-S', diskMib: 10240, ramMib: 2048 });
    expect((await runCliCaptured(['tariffs', 'show', String(tariffId)])).out).toMatch(/10240 MiB +2048 MiB/);
    expect(
      first<{ diskMib: null; ramMib: null }>(
        await runCliCaptured([
          'tariffs',
          'edit',
          String(tariffId),
          '--disk-mib',
          'none',
          '--ram-mib',
          'none',
          '--json',
        ]),
      ),
    ).toMatchObject({ diskMib: null, ramMib: null });
  });

  it('lists product types, parameters, admins, the audit and one sync run with its diff', async () => {
    expect(json(await runCliCaptured(['product-types', 'list', '--json']))).toMatchObject([
      { id: 1, name: 'VPS' },
    ]);
    expect((await runCliCaptured(['product-types', 'parameters', '1'])).out).toMatch(
      /Operating system +ostempl/,
    );
    await runCliCaptured(['admin', 'create', '--email', 'ops@example.com'], { stdin: 'a long password\n' });
    expect(json(await runCliCaptured(['admin', 'list', '--json']))).toMatchObject([
      { email: 'ops@example.com', disabled: false },
    ]);
    const audit = json<{ action: string; actor: string; after: { enabled: boolean } }[]>(
      await runCliCaptured(['audit', 'list', '--object-type', 'module', '--limit', '2', '--json']),
    );
    expect(audit.map((r) => [r.action, r.actor, r.after.enabled])).toEqual([
      ['module.update', 'cli', true],
      ['module.update', 'cli', false],
    ]);
    expect((await runCliCaptured(['audit', 'list', '--actor', 'cli', '--limit', '1'])).out).toMatch(
      /ID +AT +ACTOR +ACTION/,
    );
    const [run] = json<{ runId: number }[]>(
      await runCliCaptured(['sync', 'history', '--limit', '1', '--json']),
    );
    const shown = first<{ runId: number; diff: { add: unknown[] } }>(
      await runCliCaptured(['sync', 'show', String(run!.runId), '--json']),
    );
    expect(shown.runId).toBe(run!.runId);
    expect(shown.diff.add.length).toBeGreaterThan(0);
    expect((await runCliCaptured(['sync', 'show', String(run!.runId)])).out).toMatch(/outcome +applied/);
  });

  it('refuses bad input in one line with 1, bad usage with 64, and changes nothing', async () => {
    const before = (await runCliCaptured(['templates', 'list', '--json'])).out;
    for (const argv of [
      ['templates', 'edit', String(templates[0]!.id)],
      ['templates', 'edit', '999999', '--sort', '1'],
      ['templates', 'edit', String(templates[0]!.id), '--sort', '-3'],
      ['templates', 'reorder', '1=2=3'],
      ['templates', 'tariffs', String(templates[0]!.id), '--on', '1', '--off', '2'],
      ['templates', 'connect', String(templates[0]!.id), '--module', '999'],
      ['modules', 'edit', String(moduleId), '--guard-share', '2'],
      ['modules', 'edit', String(moduleId), '--url', 'ftp://x'],
      ['tariffs', 'edit', String(tariffId), '--disk-mib', 'big'],
      ['audit', 'list', '--limit', '5000'],
      ['sync', 'show', '999999'],
    ]) {
      const result = await runCliCaptured(argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err, argv.join(' ')).toMatch(oneLineError);
    }
    expect((await runCliCaptured(['templates', 'show'])).code).toBe(64);
    expect((await runCliCaptured(['modules', 'disable'])).code).toBe(64);
    expect((await runCliCaptured(['templates', 'list', '--json'])).out).toBe(before);
  });

  it('names the webhook flag a bad value came from, with the values it takes', async () => {
    const before = (await runCliCaptured(['webhooks', 'list', '--json'])).out;
    const badEvent = await addWebhook(
      'https://shop.example.test/hooks',
      'tariff.list_changed,tariff.changed',
    );
    expect(badEvent.code).toBe(1);
    expect(badEvent.err).toMatch(oneLineError);
    expect(badEvent.err).toMatch(
      /^error: --events: no event "tariff\.changed" \(tariff\.list_changed, .*module\.sync_held\)/,
    );
    const badState = await runCliCaptured(['webhooks', 'deliveries', '1', '--state', 'lost']);
    expect(badState.code).toBe(1);
    expect(badState.err).toBe(
      'error: --state must be one of pending, delivered, failed, not "lost" (invalid_input)\n',
    );
    expect((await runCliCaptured(['webhooks', 'list', '--json'])).out).toBe(before);
  });

  it("names the flag a schema's field came from, in words, and changes nothing", async () => {
    const snapshot = async () =>
      Promise.all(
        [
          ['tariffs', 'list'],
          ['webhooks', 'list'],
          ['modules', 'show', String(moduleId)],
        ].map(async (argv) => (await runCliCaptured([...argv, '--json'])).out),
      );
    const before = await snapshot();
    const url = 'must be an http:// or https:// URL with a host and no spaces';
    for (const [argv, reason] of [
      [['tariffs', 'create', '--name', ''], '--name must not be empty'],
      [['tariffs', 'create', '--name', ' '], '--name must not be blank'],
      [['webhooks', 'add', '--url', 'ftp://example.com', '--events', 'tariff.list_changed'], `--url ${url}`],
      [['modules', 'edit', String(moduleId), '--url', 'ftp://example.com'], `--url ${url}`],
      [
        ['modules', 'edit', String(moduleId), '--url', 'ftp://x'],
        '--url must not have fewer than 8 characters',
      ],
      [['audit', 'list', '--limit', '100000'], '--limit must be <= 1000'],
    ] as const) {
      const result = await runCliCaptured([...argv]);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err, argv.join(' ')).toBe(`error: ${reason} (invalid_input)\n`);
    }
    // A value with an escape sequence and a line break is refused in one line that obeys neither.
    const escaped = await addWebhook('http://\u001b[31mx\ny', 'tariff.list_changed');
    expect(escaped.code).toBe(1);
    expect(escaped.err).toMatch(oneLineError);
    expect(escaped.err).not.toContain('\u001b');
    expect(await snapshot()).toEqual(before);
  });

  it('has --help with examples for every command', async () => {
    for (const argv of [
      ['templates', 'edit'],
      ['templates', 'reorder'],
      ['templates', 'tariffs'],
      ['modules', 'edit'],
      ['tariffs', 'edit'],
      ['audit', 'list'],
      ['sync', 'show'],
      ['admin', 'list'],
      ['product-types', 'parameters'],
    ]) {
      const help = await runCliCaptured([...argv, '--help']);
      expect(help.code, argv.join(' ')).toBe(0);
      expect(help.out, argv.join(' ')).toContain(`Examples:\n  os-catalog ${argv.join(' ')}`);
    }
  });
});

/** The same commands sent to a running embedded server (it owns the data directory). */
describe('the CLI admin commands while the embedded server runs', () => {
  let sim: VmmanagerSimulator;
  let service: RunningService;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startVmmanagerSimulator();
    ({ service, stop } = await startForwardingServer('oscat-admin-fwd-'));
  });
  afterAll(async () => {
    await stop();
    await sim.close();
  });

  it('runs them inside the server, stdin and exit codes included', async () => {
    const added = await addModule(sim, 'spb');
    const moduleId = first<{ module: { id: number } }>(added).module.id;
    const [template] = json<Listed[]>(await runCliCaptured(['templates', 'list', '--json']));
    expect(
      first<{ disabled: boolean }>(
        await runCliCaptured(['templates', 'disable', String(template!.id), '--json']),
      ).disabled,
    ).toBe(true);
    // The server's own app sees the change: the command ran there.
    expect((await service.app.catalog.getTemplate(template!.id)).disabled).toBe(true);
    const edited = await runCliCaptured(
      ['modules', 'edit', String(moduleId), '--password-stdin', '--sort', '3'],
      { stdin: sim.password },
    );
    expect(edited.out).toMatch(/^module \d+ \(spb\)/);
    expect((await service.app.modules.getModule(moduleId)).sort).toBe(3);
    const missing = await runCliCaptured(['tariffs', 'edit', '999999', '--name', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: tariff 999999 does not exist \(not_found\)\n$/);
  });
});
