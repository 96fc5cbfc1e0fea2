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
): Promise<ConnectionTestResult> => {
  sim = await startVmmanagerSimulator(simOptions);
  prepare?.(sim);
  const client = createVmmanagerClient({
    url: sim.url,
    email: sim.email,
    password: sim.password,
    connectTimeoutMs: 300,
    requestTimeoutMs: 300,
    retries: { attempts: 1, baseDelayMs: 5 },
    suspension: fastSuspension,
    ...clientPatch,
  });
  try {
    return await testVmmanagerConnection(client, { clusterId });
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
    const result = await check({}, {}, undefined, (s) =>
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
