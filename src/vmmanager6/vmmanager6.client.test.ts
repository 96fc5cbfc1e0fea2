import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import {
  createVmmanagerClient,
  type VmmanagerClient,
  type VmmanagerClientOptions,
} from './vmmanager6.client.js';
import { createVmmanagerClientFactory } from './vmmanager6.factory.js';
import { internalNameOf } from './vmmanager6.templates.js';
import { whereAll } from './vmmanager6.where.js';
import { fakeTimers, fastSuspension } from './vmmanager6.test-kit.js';

let sim: VmmanagerSimulator;
let client: VmmanagerClient;

const connect = (patch: Partial<VmmanagerClientOptions> = {}): VmmanagerClient =>
  createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    requestTimeoutMs: 500,
    retries: { attempts: 3, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...patch,
  });

const logins = (): number => sim.requests.filter((r) => r.path === '/auth/v4/public/token').length;
const calls = (path: string): number => sim.requests.filter((r) => r.path === path).length;

beforeEach(async () => {
  sim = await startVmmanagerSimulator();
  client = connect();
});

afterEach(async () => {
  await client.close();
  await sim.close();
});

describe('the OS list unless unchanged', () => {
  it('is parsed the first time, skipped while the body is the same, and parsed again once it changes', async () => {
    const first = await client.listOsTemplatesIfChanged(null);
    expect(first.list?.templates.map((t) => t.name)).toEqual(
      (await client.listOsTemplates()).map((t) => t.name),
    );

    const same = await client.listOsTemplatesIfChanged(first.digest);
    expect(same).toEqual({ digest: first.digest, list: null });

    const debian = sim.state.listTemplates().find((t) => t.name === 'Debian 12')!;
    sim.state.setHddMibRequired(debian.id, 77777);
    const changed = await client.listOsTemplatesIfChanged(first.digest);
    expect(changed.digest).not.toBe(first.digest);
    expect(changed.list?.templates.find((t) => t.id === debian.id)?.hddMibRequired).toBe(77777);
  });

  it('still refuses an invalid answer, whatever digest it is given', async () => {
    sim.injectFault({ kind: 'wrong_schema', path: '/vm/v3/os' });
    await expect(client.listOsTemplatesIfChanged('some digest')).rejects.toMatchObject({
      code: 'upstream_invalid',
    });
  });
});

describe('the VMmanager 6 client against the simulator', () => {
  it('lists OS templates parsed into camelCase, ignoring extra fields', async () => {
    const templates = await client.listOsTemplates();
    const windows = templates.find((t) => t.name === 'Windows Server 2022')!;
    expect(templates.length).toBe(sim.state.listTemplates().length);
    expect(windows).toMatchObject({
      repository: 'ISPsystem',
      repositoryId: 1,
      state: 'active',
      adminonly: false,
    });
    expect(windows.hddMibRequired).toBe(40 * 1024);
    expect(windows.clusters?.map((c) => c.id)).toEqual([1, 2]);
    expect(Object.keys(windows)).not.toContain('nodes');
    expect(templates.map(internalNameOf)).toContain('ISPsystem LXD__Ubuntu 22.04');
  });

  it('lists clusters and the logged-in user', async () => {
    expect((await client.listClusters()).map((c) => [c.name, c.virtualizationType])).toEqual([
      ['msk-kvm-1', 'kvm'],
      ['ams-kvm-2', 'kvm'],
      ['ams-lxd-1', 'lxd'],
    ]);
    expect(await client.whoami()).toEqual({ id: '1', email: sim.email, roles: ['@admin'] });
  });

  it('logs in once, then reuses the token in the x-xsrf-token header and the ses6 cookie', async () => {
    await Promise.all([client.listOsTemplates(), client.listClusters(), client.whoami()]);
    expect(logins()).toBe(1);
    const authed = sim.requests.filter((r) => r.path !== '/auth/v4/public/token');
    expect(authed.every((r) => r.hasXsrfHeader && r.hasSes6Cookie)).toBe(true);
  });

  it("sends a where filter with + ' ( ) unencoded and gets the filtered list", async () => {
    const where = whereAll([
      { field: 'repository', value: 'ISPsystem LXD' },
      { field: 'clusters.id', value: 3 },
    ]);
    const templates = await client.listOsTemplates({ where });
    expect(templates.map((t) => t.name).sort()).toEqual(['AlmaLinux 9', 'Debian 12', 'Ubuntu 22.04']);
    expect(sim.requests.at(-1)?.rawQuery).toBe(
      "where=((repository+EQ+'ISPsystem%20LXD')+AND+(clusters.id+EQ+'3'))",
    );
  });

  it('logs in again once when the token expired, then succeeds', async () => {
    await client.listOsTemplates();
    sim.sessions.expireAll();
    await expect(client.listClusters()).resolves.toHaveLength(3);
    expect(logins()).toBe(2);
  });

  it('logs in again on error code 1000 even without HTTP 401', async () => {
    sim.injectFault({ kind: 'http_error', status: 400, code: 1000, path: '/vm/v3/os' });
    await expect(client.listOsTemplates()).resolves.not.toHaveLength(0);
    expect(logins()).toBe(2);
  });

  it('logs in again when the token times out through inactivity', async () => {
    await sim.close();
    // The simulator's clock moves only when the test says: with real time, a loaded machine could
    // let the 50 ms pass between the login and its first call, and log in three times.
    const timers = fakeTimers();
    sim = await startVmmanagerSimulator({ tokenTtlMs: 50, now: timers.now });
    client = connect();
    await client.whoami();
    await timers.sleep(80);
    await client.whoami();
    expect(logins()).toBe(2);
  });

  it('fails with upstream_auth after one re-login that is rejected again', async () => {
    sim.injectFault({ kind: 'unauthorized', path: '/vm/v3/os', times: 'always' });
    const error = await client.listOsTemplates().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'upstream_auth', details: { status: 401, vmCode: 1000 } });
    expect(logins()).toBe(2);
    expect(calls('/vm/v3/os')).toBe(2);
  });

  it('reports wrong credentials as upstream_auth with the VMmanager code and message', async () => {
    const wrong = connect({ password: 'not-the-password' });
    const error = await wrong.whoami().catch((e: unknown) => e);
    await wrong.close();
    expect(error).toMatchObject({
      code: 'upstream_auth',
      details: { status: 401, vmCode: 3004, stage: 'login' },
    });
    expect((error as Error).message).toMatch(/wrong email or password/);
    expect(logins()).toBe(1);
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => connect({ url: 'ftp://example.com' })).toThrow(/http\(s\)/);
  });

  it('builds clients from module settings through the default factory', async () => {
    const factory = createVmmanagerClientFactory();
    const fromModule = factory({
      url: sim.url,
      adminEmail: sim.email,
      password: sim.password,
      apiToken: null,
      clusterId: 1,
      verifyTls: true,
      connectTimeoutMs: 500,
      requestTimeoutMs: 500,
      maxAnswerBytes: 1024 * 1024,
    });
    await expect(fromModule.listClusters()).resolves.toHaveLength(3);
    await fromModule.close();
  });
});
