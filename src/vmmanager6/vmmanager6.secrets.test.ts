import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.js';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator/simulator.js';
import { createVmmanagerClient, type VmmanagerClient } from './vmmanager6.client.js';
import { testVmmanagerConnection } from './vmmanager6.service.js';
import { fastSuspension } from './vmmanager6.test-kit.js';

const password = 'S3cret-Pa55word-for-grep';
const wrongPassword = 'Wr0ng-Pa55word-for-grep';
const logLines: string[] = [];
const seen: string[] = [];
const logger = createLogger({
  level: 'trace',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  }),
});

let sim: VmmanagerSimulator;
let tlsSim: VmmanagerSimulator;

beforeAll(async () => {
  sim = await startVmmanagerSimulator({ password, tokenTtlMs: 60_000 });
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  tlsSim = await startVmmanagerSimulator({ password, tls: { key: pems.private, cert: pems.cert } });
});

afterAll(async () => {
  await sim.close();
  await tlsSim.close();
});

const connect = (url: string, secret = password): VmmanagerClient =>
  createVmmanagerClient({
    url,
    email: sim.email,
    password: secret,
    requestTimeoutMs: 300,
    retries: { attempts: 2, baseDelayMs: 5 },
    suspension: fastSuspension,
    logger,
  });

// Every way we can look at a thrown value: what a log, an API answer or a crash report would show.
const record = (value: unknown): void => {
  seen.push(
    JSON.stringify(value) ?? '',
    String(value),
    inspect(value, { depth: Infinity, showHidden: true }),
  );
  if (value instanceof Error) seen.push(value.stack ?? '', value.message);
};

const attempt = async (run: () => Promise<unknown>): Promise<void> => {
  try {
    record(await run());
  } catch (error) {
    record(error);
  }
};

describe('secrets', () => {
  it('never show the password or a token in logs, errors or the client object', async () => {
    const client = connect(sim.url);
    record(client);
    await attempt(() => client.listOsTemplates());
    sim.sessions.expireAll();
    await attempt(() => client.listClusters());
    for (const kind of [
      'unauthorized',
      'non_json',
      'wrong_schema',
      'timeout',
      'refuse',
      'truncated_list',
    ] as const) {
      sim.injectFault({ kind, path: '/vm/v3/os', times: 'always' });
      await attempt(() => client.listOsTemplates());
      sim.clearFaults();
    }
    sim.injectFault({ kind: 'wrong_schema', path: '/auth/v4/public/token' });
    sim.sessions.expireAll();
    await attempt(() => client.whoami());
    sim.injectFault({ kind: 'http_error', status: 503, path: '/auth/v4/public/token', times: 'always' });
    sim.sessions.expireAll();
    await attempt(() => client.whoami());
    sim.clearFaults();
    await attempt(() => testVmmanagerConnection(connect(sim.url, wrongPassword), { email: sim.email }));
    await attempt(() => connect(sim.url, wrongPassword).listOsTemplates());
    await attempt(() => connect(tlsSim.url).listOsTemplates());
    await attempt(() => testVmmanagerConnection(client, { email: sim.email, clusterId: 77 }));
    record(client);
    await client.close();
    // A module signing in with an API token: working, then revoked.
    const tokenClient = createVmmanagerClient({
      url: sim.url,
      email: sim.email,
      apiToken: sim.sessions.issueApiToken(),
      retries: { attempts: 1, baseDelayMs: 5 },
      logger,
    });
    record(tokenClient);
    await attempt(() => testVmmanagerConnection(tokenClient, { email: sim.email }));
    sim.sessions.revokeApiTokens();
    await attempt(() => testVmmanagerConnection(tokenClient, { email: sim.email }));
    await attempt(() => tokenClient.listOsTemplates());
    await tokenClient.close();

    const tokens = [...sim.sessions.issued(), ...tlsSim.sessions.issued()];
    expect(tokens.length).toBeGreaterThan(2);
    expect(logLines.length).toBeGreaterThan(10);
    const everything = [...logLines, ...seen].join('\n');
    for (const secret of [password, wrongPassword, ...tokens]) expect(everything).not.toContain(secret);
  });
});
