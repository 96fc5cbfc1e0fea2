import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVmmanagerSimulator, type VmmanagerSimulator } from './simulator.js';

let sim: VmmanagerSimulator;
let token: string;

beforeAll(async () => {
  sim = await startVmmanagerSimulator();
  const login = await fetch(`${sim.url}/auth/v4/public/token`, {
    method: 'POST',
    body: JSON.stringify({ email: sim.email, password: sim.password }),
  });
  token = ((await login.json()) as { token: string }).token;
});
afterAll(async () => sim?.close());
beforeEach(() => sim.hosts.clear());

interface HostAnswer {
  id?: number;
  task?: number;
  error?: { code: number; msg: string; value: { reason?: string } };
}

/** A create as ISPsystem's WHMCS module sends it. */
const create = async (body: object | string, headers: Record<string, string> = { 'x-xsrf-token': token }) => {
  const res = await fetch(`${sim.url}/vm/v3/host`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as HostAnswer };
};
const order = {
  name: 'vm-1',
  password: 'Secret-1234',
  os: 8206, // Debian 12: 5 GiB disk, 512 MiB RAM, both KVM clusters
  cluster: 1,
  cpu_number: 1,
  ram_mib: 1024,
  hdd_mib: 10240,
  ipv4_number: 1,
  account: 7,
};
const refusal = async (body: object) => {
  const res = await create(body);
  return { status: res.status, code: res.body.error?.code, reason: res.body.error?.value?.reason };
};

describe('POST /vm/v3/host on the simulator', () => {
  it('creates a VM from a template on its cluster and answers its id and task; GET /vm/v3/host lists it', async () => {
    const res = await create(order);
    expect(res).toMatchObject({ status: 200, body: { id: 101 } });
    expect(res.body.task).toBeGreaterThan(0);
    expect(sim.hosts.list()).toMatchObject([
      { id: 101, name: 'vm-1', os: 8206, cluster: 1, ram_mib: 1024, hdd_mib: 10240, account: 7 },
    ]);
    const listed = await fetch(`${sim.url}/vm/v3/host?where=(id+EQ+101)`, {
      headers: { 'x-xsrf-token': token },
    });
    expect(((await listed.json()) as { list: unknown[] }).list).toMatchObject([
      { id: 101, os: { id: 8206, name: 'Debian 12' }, cluster: { id: 1 }, disk: { disk_mib: 10240 } },
    ]);
    // Ids are never reused, even after the log is cleared.
    sim.hosts.clear();
    expect((await create({ ...order, cluster: 2 })).body.id).toBe(102);
  });

  it('is tolerant: numbers as strings, the disk as disks[], no cpu_number, fields it does not know', async () => {
    const { hdd_mib: _disk, cpu_number: _cpu, ...rest } = order;
    const res = await create({
      ...rest,
      os: '8206',
      ram_mib: '1024',
      disks: [{ size_mib: 8192 }],
      recipe: 3,
    });
    expect(res.status).toBe(200);
    expect(sim.hosts.list()[0]).toMatchObject({ os: 8206, hdd_mib: 8192, cpu_number: 1 });
  });

  it.each([
    ['an unknown cluster', { cluster: 99 }, 404, 'cluster_not_found'],
    ['an unknown template', { os: 1 }, 404, 'os_not_found'],
    ['a template not on that cluster', { os: 8207 }, 400, 'os_not_on_cluster'],
    ['a template that is not active', { os: 8210 }, 400, 'os_not_active'],
    ['an admin-only template', { os: 8214 }, 400, 'os_admin_only'],
    ['a KVM template on the LXD cluster', { os: 8206, cluster: 3 }, 400, 'os_not_on_cluster'],
    ['a disk below the minimum', { os: 8213, ram_mib: 4096, hdd_mib: 40959 }, 400, 'hdd_too_small'],
    ['RAM below the minimum', { os: 8213, ram_mib: 2047, hdd_mib: 40960 }, 400, 'ram_too_small'],
    ['no name', { name: '' }, 400, 'invalid_field'],
    ['no disk', { hdd_mib: undefined }, 400, 'invalid_field'],
    ['a negative RAM', { ram_mib: -1 }, 400, 'invalid_field'],
  ] as const)('refuses %s with a VMmanager error and creates nothing', async (_, change, status, reason) => {
    const refused = await refusal({ ...order, ...change });
    expect(refused).toMatchObject({ status, reason });
    expect(refused.code).toBeGreaterThan(2000);
    expect(sim.hosts.list()).toEqual([]);
  });

  it('refuses a template listed on a cluster of the other kind', async () => {
    sim.state.moveTemplate(8206, [1, 3]);
    try {
      expect(await refusal({ ...order, cluster: 3 })).toMatchObject({ reason: 'virtualization_mismatch' });
      expect((await create(order)).status).toBe(200);
    } finally {
      sim.state.moveTemplate(8206, [1, 2]);
    }
  });

  it('accepts exactly the minimums, and follows changes to them', async () => {
    expect((await create({ ...order, os: 8213, ram_mib: 2048, hdd_mib: 40960 })).status).toBe(200);
    sim.state.updateTemplate(8213, { minRamMib: 4096 });
    try {
      expect(await refusal({ ...order, os: 8213, ram_mib: 2048, hdd_mib: 40960 })).toMatchObject({
        reason: 'ram_too_small',
      });
    } finally {
      sim.state.updateTemplate(8213, { minRamMib: 2048 });
    }
  });

  it('checks no minimum an installation too old to send one does not have', async () => {
    sim.state.updateTemplate(8213, { shape: 'legacy_2022' });
    try {
      expect((await create({ ...order, os: 8213, ram_mib: 512, hdd_mib: 1024 })).status).toBe(200);
    } finally {
      sim.state.updateTemplate(8213, { shape: 'current' });
    }
  });

  it('needs a session and a JSON body; GET /_sim/hosts shows the log and POST /_sim/reset clears it', async () => {
    expect((await create(order, {})).status).toBe(401);
    expect((await create('{not json')).body.error).toMatchObject({ code: 2001 });
    await create(order);
    const control = await fetch(`${sim.url}/_sim/hosts`);
    expect(await control.json()).toMatchObject([{ name: 'vm-1' }]);
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST', body: '{}' });
    expect(sim.hosts.list()).toEqual([]);
  });
});
