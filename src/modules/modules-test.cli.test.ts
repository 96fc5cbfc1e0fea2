import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../service.js';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import { oneLineError, runCliCaptured, startForwardingServer } from '../cli/cli.test-helpers.js';

const testConnection = (sim: VmmanagerSimulator, password: string, ...extra: string[]) =>
  runCliCaptured(
    ['modules', 'test-connection', '--url', sim.url, '--email', sim.email, '--password-stdin', ...extra],
    { stdin: password + '\n' },
  );

const addModule = async (sim: VmmanagerSimulator, name: string): Promise<number> => {
  const added = await runCliCaptured(
    ['modules', 'add', '--name', name, '--url', sim.url, '--email', sim.email, '--password-stdin', '--json'],
    { stdin: sim.password + '\n' },
  );
  expect(added.code, added.err).toBe(0);
  return (JSON.parse(added.out) as { module: { id: number } }[])[0]!.module.id;
};

/** `modules test ID` and `modules test-connection`, run as a user runs them. */
describe('the CLI connection tests', () => {
  let sim: VmmanagerSimulator;
  let database: TestDatabase | undefined;
  let moduleId: number;
  let saved: NodeJS.ProcessEnv;

  beforeAll(async () => {
    saved = { ...process.env };
    sim = await startVmmanagerSimulator();
    process.env.OSCAT_DATA_DIR = mkdtempSync(join(tmpdir(), 'oscat-test-cli-'));
    process.env.OSCAT_LOG_LEVEL = 'silent';
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      process.env.DATABASE_URL = database.url;
    }
    moduleId = await addModule(sim, 'msk');
  });
  afterAll(async () => {
    await sim.close();
    await database?.close();
    process.env = saved;
  });

  it("tests a saved module's connection and prints the account and clusters", async () => {
    const result = await runCliCaptured(['modules', 'test', String(moduleId)]);
    expect(result, result.err).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(
      new RegExp(`^connection ok: ${sim.url}, signed in as admin@example\\.com \\(roles: @admin\\)\\n`),
    );
    expect(result.out).toMatch(/\n1 +\S.* +kvm\n/);
    const json = await runCliCaptured(['modules', 'test', String(moduleId), '--json']);
    expect(JSON.parse(json.out)).toMatchObject([{ ok: true, user: { email: sim.email } }]);
  });

  it('fails a saved module whose password VMmanager refuses with exit code 1 and one line', async () => {
    sim.sessions.expireAll();
    sim.injectFault({ kind: 'unauthorized', path: '/auth/v4/public/token' });
    const result = await runCliCaptured(['modules', 'test', String(moduleId)]);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(oneLineError);
    expect(result.err).toMatch(/^error: connection test failed: .*password.* \(wrong_password\)\n$/);
    const missing = await runCliCaptured(['modules', 'test', '999999']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: module 999999 does not exist \(not_found\)\n$/);
  });

  it('tests unsaved settings without storing anything', async () => {
    const before = (await runCliCaptured(['modules', 'list', '--json'])).out;
    const passed = await testConnection(sim, sim.password, '--cluster', '1');
    expect(passed, passed.err).toMatchObject({ code: 0, err: '' });
    expect(passed.out).toMatch(/^connection ok: http:\/\/127\.0\.0\.1:\d+, signed in as admin@example\.com/);
    expect(passed.out).toContain("the module's cluster exists\n");

    const wrong = await testConnection(sim, 'not the password', '--json');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject([{ ok: false, reason: 'wrong_password' }]);
    expect(wrong.err).toMatch(oneLineError);

    const noCluster = await testConnection(sim, sim.password, '--cluster', '999');
    expect(noCluster.code).toBe(1);
    expect(noCluster.err).toMatch(/no cluster with id 999.* \(cluster_missing\)\n$/);
    expect((await runCliCaptured(['modules', 'list', '--json'])).out).toBe(before);
  });

  it('tests a pasted address as its base, and warns (exit 0) when the roles cannot be read', async () => {
    Object.assign(sim.modes, { accountList: false, whoamiRoles: false, whoamiEmail: false });
    try {
      const result = await runCliCaptured(
        [
          'modules',
          'test-connection',
          '--url',
          `${sim.url}/vm/v3/`,
          '--email',
          sim.email,
          '--password-stdin',
        ],
        { stdin: sim.password },
      );
      expect(result.code, result.err).toBe(0);
      expect(
        result.out.startsWith(
          `connection ok: ${sim.url}, signed in as admin@example.com (roles: not reported)\n`,
        ),
      ).toBe(true);
      expect(result.err).toMatch(
        /^warning: VMmanager's account answer could not be used \(404\)\nwarning: could not confirm that admin@example\.com is a VMmanager administrator/,
      );
    } finally {
      Object.assign(sim.modes, { accountList: true, whoamiRoles: true, whoamiEmail: true });
    }
  });

  it('signs in with a VMmanager API token given on stdin, and says so when it is revoked', async () => {
    const apiToken = sim.sessions.issueApiToken();
    const tested = await runCliCaptured(
      ['modules', 'test-connection', '--url', sim.url, '--email', sim.email, '--token-stdin'],
      { stdin: apiToken + '\n' },
    );
    expect(tested.code, tested.err).toBe(0);
    const edited = await runCliCaptured(['modules', 'edit', String(moduleId), '--token-stdin', '--json'], {
      stdin: apiToken,
    });
    expect(JSON.parse(edited.out)).toMatchObject([{ authMethod: 'token' }]);
    expect(edited.out).not.toContain(apiToken);
    expect((await runCliCaptured(['modules', 'show', String(moduleId)])).out).toMatch(
      /signs in with +API token/,
    );
    expect((await runCliCaptured(['modules', 'test', String(moduleId)])).code).toBe(0);
    sim.sessions.revokeApiTokens();
    const refused = await runCliCaptured(['modules', 'test', String(moduleId)]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/API token.*\(token_refused\)\n$/);
    const both = await runCliCaptured(
      ['modules', 'edit', String(moduleId), '--token-stdin', '--password-stdin'],
      {
        stdin: 'x',
      },
    );
    expect(both.err).toMatch(/^error: use either --password-stdin or --token-stdin \(invalid_input\)\n$/);
    const back = await runCliCaptured(['modules', 'edit', String(moduleId), '--password-stdin', '--json'], {
      stdin: sim.password,
    });
    expect(JSON.parse(back.out)).toMatchObject([{ authMethod: 'password' }]);
  });

  it('refuses bad input in one line with 1 and bad usage with 64', async () => {
    for (const argv of [
      ['modules', 'test-connection', '--url', sim.url, '--email', sim.email],
      ['modules', 'test-connection', '--url', 'ftp://x', '--email', sim.email, '--password-stdin'],
      [
        'modules',
        'test-connection',
        '--url',
        sim.url,
        '--email',
        sim.email,
        '--password-stdin',
        '--cluster',
        'x',
      ],
      ['modules', 'test', '0'],
    ]) {
      const result = await runCliCaptured(argv, { stdin: 'p\n' });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err, argv.join(' ')).toMatch(oneLineError);
    }
    expect((await runCliCaptured(['modules', 'test'])).code).toBe(64);
    expect((await runCliCaptured(['modules', 'test-connection', '--email', sim.email])).code).toBe(64);
  });

  it('has --help with examples', async () => {
    for (const argv of [
      ['modules', 'test'],
      ['modules', 'test-connection'],
      ['modules', 'add'],
    ]) {
      const help = await runCliCaptured([...argv, '--help']);
      expect(help.code, argv.join(' ')).toBe(0);
      expect(help.out, argv.join(' ')).toMatch(new RegExp(`Examples:\\n  .*os-catalog ${argv.join(' ')} `));
    }
  });
});

/** The same commands sent to a running embedded server (it owns the data directory). */
describe('the CLI connection tests while the embedded server runs', () => {
  let sim: VmmanagerSimulator;
  let service: RunningService;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sim = await startVmmanagerSimulator();
    ({ service, stop } = await startForwardingServer('oscat-test-fwd-'));
  });
  afterAll(async () => {
    await stop();
    await sim.close();
  });

  it('runs them inside the server, stdin and exit codes included', async () => {
    const moduleId = await addModule(sim, 'spb');
    const before = sim.requests.length;
    const tested = await runCliCaptured(['modules', 'test', String(moduleId), '--json']);
    expect(JSON.parse(tested.out)).toMatchObject([{ ok: true }]);
    expect(sim.requests.slice(before).map((r) => r.path)).toContain('/auth/v4/whoami');
    const passed = await testConnection(sim, sim.password);
    expect(passed.code, passed.err).toBe(0);
    const wrong = await testConnection(sim, 'wrong');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/\(wrong_password\)\n$/);
    expect(await service.app.modules.listModules()).toHaveLength(1);
  });
});
