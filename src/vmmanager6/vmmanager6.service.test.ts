import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startVmmanagerSimulator,
  type SimulatorOptions,
  type VmmanagerSimulator,
} from './simulator/simulator.js';
import { createVmmanagerClient, type VmmanagerClientOptions } from './vmmanager6.client.js';
import { testVmmanagerConnection, type ConnectionTestResult } from './vmmanager6.service.js';
import { fastSuspension } from './vmmanager6.test-kit.js';

let sim: VmmanagerSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const check = async (
  simOptions: SimulatorOptions,
  clientPatch: Partial<VmmanagerClientOptions> = {},
  clusterId?: number,
  prepare?: (s: VmmanagerSimulator) => void,
  pathAfterUrl = '',
): Promise<ConnectionTestResult> => {
  sim = await startVmmanagerSimulator(simOptions);
  prepare?.(sim);
  const client = createVmmanagerClient({
    url: sim.url + pathAfterUrl,
    email: sim.email,
    password: sim.password,
    // The client's own timeouts (a short one would turn a slow TLS handshake or answer on a
    // loaded machine into "timeout"), except where the test is about one.
    retries: { attempts: 1, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...clientPatch,
  });
  try {
    return await testVmmanagerConnection(client, { email: sim.email, clusterId });
  } finally {
    await client.close();
  }
};

describe('testVmmanagerConnection', () => {
  it('reports the user and clusters of a working connection', async () => {
    const result = await check({}, {}, 2);
    expect(result).toMatchObject({ ok: true, user: { email: 'admin@example.com' }, clusterFound: true });
    expect(result.ok && result.clusters).toHaveLength(3);
  });

  it('says clusterFound is null when no cluster was asked for', async () => {
    await expect(check({})).resolves.toMatchObject({ ok: true, clusterFound: null });
  });

  it('reports a cluster the installation does not have, naming the ones it has', async () => {
    const result = await check({}, {}, 9);
    expect(result).toMatchObject({ ok: false, reason: 'cluster_missing' });
    expect(!result.ok && result.message).toMatch(/no cluster with id 9.*1 \(msk-kvm-1\)/);
  });

  it('reports a wrong password in plain words', async () => {
    const result = await check({}, { password: 'wrong' });
    expect(result).toEqual({
      ok: false,
      reason: 'wrong_password',
      message: 'VMmanager did not accept the email or password.',
    });
  });

  it('reports an account whose roles lack @admin as not_admin', async () => {
    await expect(check({ roles: ['@user'] })).resolves.toMatchObject({ ok: false, reason: 'not_admin' });
  });

  it('reports a 403 on the cluster list as not_admin when whoami shows no roles', async () => {
    await expect(check({ roles: [] })).resolves.toMatchObject({ ok: false, reason: 'not_admin' });
  });

  it('reports an address nobody listens on as unreachable', async () => {
    const result = await check({}, { url: 'http://127.0.0.1:1' });
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
  });

  it('reports a rejected certificate as tls', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const result = await check({ tls: { key: pems.private, cert: pems.cert } });
    expect(result).toMatchObject({ ok: false, reason: 'tls' });
  });

  it('reports an answer that never comes as timeout', async () => {
    const result = await check({}, { requestTimeoutMs: 300 }, undefined, (s) =>
      s.injectFault({ kind: 'timeout', path: '/auth/v4/whoami' }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('reports something that is not VMmanager as invalid_answer', async () => {
    const result = await check({}, {}, undefined, (s) =>
      s.injectFault({ kind: 'non_json', times: 'always' }),
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid_answer' });
    expect(!result.ok && result.message).toMatch(/VMmanager 6 installation/);
  });
});

describe('testVmmanagerConnection against real installations’ answers', () => {
  it('connects through a URL pasted with /vm/v3/, /auth/v4 or a browser address', async () => {
    for (const suffix of ['/vm/v3/', '/auth/v4', '/vm/#/vm-list?x=1', '/']) {
      const result = await check({}, {}, undefined, undefined, suffix);
      expect(result, suffix).toMatchObject({ ok: true });
      expect(sim!.requests.every((r) => !r.path.startsWith('/vm/v3/auth'))).toBe(true);
      await sim!.close();
      sim = undefined;
    }
  });

  it('says a 404 on the login path is not a VMmanager 6 address, never a wrong password', async () => {
    const result = await check({}, {}, undefined, undefined, '/billing');
    expect(result).toMatchObject({ ok: false, reason: 'not_vmmanager' });
    expect(!result.ok && result.message).toMatch(/does not look like the address of a VMmanager 6/);
    expect(!result.ok && result.message).not.toMatch(/password/);
  });

  it('answers an http→https redirect with the https address to use', async () => {
    const result = await check({ modes: { redirectToHttps: true } });
    expect(result).toMatchObject({ ok: false, reason: 'redirect' });
    expect(!result.ok && result.message).toContain(`use https://127.0.0.1:${sim!.port} as the module URL`);
  });

  it('looks the account up by email and accepts @admin in roles sent as a string', async () => {
    const result = await check({ modes: { rolesAs: 'string', whoamiEmail: false, whoamiRoles: false } });
    expect(result).toMatchObject({
      ok: true,
      user: { id: '1', email: 'admin@example.com', roles: ['@admin'] },
      warnings: [],
    });
    const lookup = sim!.requests.find((r) => r.path === '/vm/v3/account');
    expect(lookup?.rawQuery).toBe("where=(email+EQ+'admin%40example.com')");
  });

  it('refuses an account whose roles, as a string, lack @admin', async () => {
    const result = await check({ roles: ['@user'], modes: { rolesAs: 'string' } });
    expect(result).toMatchObject({ ok: false, reason: 'not_admin' });
    expect(!result.ok && result.message).toMatch(/admin@example\.com is not a VMmanager administrator/);
  });

  it('reads whoami without an email, naming the account by the email it logged in with', async () => {
    const result = await check({ modes: { whoamiEmail: false, accountList: false } });
    expect(result).toMatchObject({ ok: true, user: { email: 'admin@example.com' } });
    expect(result.ok && result.warnings).toEqual(["VMmanager's account answer could not be used (404)"]);
  });

  it('passes with a warning when neither the account list nor whoami says what roles the account has', async () => {
    const result = await check({ modes: { accountList: false, whoamiRoles: false } });
    expect(result).toMatchObject({ ok: true, user: { roles: [] } });
    expect(result.ok && result.warnings.at(-1)).toMatch(
      /^could not confirm that admin@example\.com is a VMmanager administrator/,
    );
  });

  it('gives a login answer with confirmed: false its own reason', async () => {
    const result = await check({ modes: { loginConfirmed: false } });
    expect(result).toMatchObject({ ok: false, reason: 'unconfirmed' });
    expect(!result.ok && result.message).toMatch(/did not confirm the session \(confirmed: false\)/);
  });
});

describe('a module signing in with a VMmanager API token', () => {
  it('uses a token made with POST /auth/v4/token instead of logging in', async () => {
    sim = await startVmmanagerSimulator();
    const session = createVmmanagerClient({ url: sim.url, email: sim.email, password: sim.password });
    await session.signIn();
    const login = await fetch(`${sim.url}/auth/v4/public/token`, {
      method: 'POST',
      body: JSON.stringify({ email: sim.email, password: sim.password }),
    });
    const { token: sessionToken } = (await login.json()) as { token: string };
    const made = await fetch(`${sim.url}/auth/v4/token`, {
      method: 'POST',
      headers: { 'x-xsrf-token': sessionToken },
      body: JSON.stringify({ expires_at: '2030-01-01 00:00:00', description: 'os-catalog' }),
    });
    expect(made.status).toBe(201);
    const { token: apiToken } = (await made.json()) as { token: string };
    await session.close();
    sim.sessions.expireAll();
    const before = sim.requests.length;
    const client = createVmmanagerClient({ url: sim.url, email: sim.email, apiToken });
    try {
      await expect(testVmmanagerConnection(client, { email: sim.email })).resolves.toMatchObject({
        ok: true,
      });
      await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
      expect(sim.requests.slice(before).map((r) => r.path)).not.toContain('/auth/v4/public/token');
    } finally {
      await client.close();
    }
  });

  it('reports a revoked token as token_refused, saying to make a new one, and never logs in', async () => {
    sim = await startVmmanagerSimulator();
    const apiToken = sim.sessions.issueApiToken();
    sim.sessions.revokeApiTokens();
    const client = createVmmanagerClient({ url: sim.url, email: sim.email, apiToken });
    try {
      const refused = await testVmmanagerConnection(client, { email: sim.email });
      expect(refused).toMatchObject({ ok: false, reason: 'token_refused' });
      expect(!refused.ok && refused.message).toMatch(/refused the module's API token .*create a new token/);
      expect(sim.requests.map((r) => r.path)).not.toContain('/auth/v4/public/token');
    } finally {
      await client.close();
    }
  });
});
