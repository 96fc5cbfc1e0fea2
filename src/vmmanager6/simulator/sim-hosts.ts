import type { SimAnswer } from './sim-api.js';
import { renderOsItem } from './sim-shapes.js';
import type { SimStateData } from './sim-types.js';

/** A VM the simulator created (`POST /vm/v3/host`), as tests read it back. */
export interface SimHost {
  id: number;
  name: string;
  /** The template (`os`) and the cluster it was created from and on. */
  os: number;
  cluster: number;
  ram_mib: number;
  hdd_mib: number;
  cpu_number: number;
  account: number | null;
  /** Task id of `host_create` in the answer. */
  task: number;
}

/** The VMs created so far, in order; kept in memory only (the state file holds the catalog). */
export interface SimHosts {
  list(): SimHost[];
  add(host: Omit<SimHost, 'id' | 'task'>): SimHost;
  clear(): void;
}

/** Creates an empty host log; ids start at 101 and are never reused, as VMmanager's are not. */
export function createHosts(): SimHosts {
  let hosts: SimHost[] = [];
  let nextId = 101;
  return {
    list: () => structuredClone(hosts),
    add(host) {
      const created = { ...host, id: nextId, task: 5000 + nextId };
      nextId += 1;
      hosts.push(created);
      return structuredClone(created);
    },
    clear: () => {
      hosts = [];
    },
  };
}

/**
 * Why the simulator refuses a create, with the error it answers. Codes and messages are
 * assumed (docs/vmmanager6.md); `value.reason` names the rule so tests can tell them apart.
 */
export type HostRefusal =
  | 'invalid_field'
  | 'cluster_not_found'
  | 'os_not_found'
  | 'os_not_on_cluster'
  | 'os_not_active'
  | 'os_admin_only'
  | 'virtualization_mismatch'
  | 'hdd_too_small'
  | 'ram_too_small';

const refusals: Record<HostRefusal, { status: number; code: number; msg: string }> = {
  invalid_field: { status: 400, code: 2003, msg: 'Invalid value of a field' },
  cluster_not_found: { status: 404, code: 2201, msg: 'Cluster not found' },
  os_not_found: { status: 404, code: 2202, msg: 'OS template not found' },
  os_not_on_cluster: { status: 400, code: 2203, msg: 'The OS template is not available on this cluster' },
  os_not_active: { status: 400, code: 2204, msg: 'The OS template is not active' },
  os_admin_only: { status: 400, code: 2205, msg: 'The OS template is available to administrators only' },
  virtualization_mismatch: {
    status: 400,
    code: 2206,
    msg: 'The OS template does not fit the virtualization type of the cluster',
  },
  hdd_too_small: { status: 400, code: 2207, msg: 'The disk is smaller than the OS template requires' },
  ram_too_small: { status: 400, code: 2208, msg: 'The RAM is smaller than the OS template requires' },
};

const refuse = (reason: HostRefusal, value: Record<string, unknown> = {}): SimAnswer => {
  const { status, code, msg } = refusals[reason];
  return { status, body: { error: { code, msg, value: { reason, ...value } } } };
};

// PHP clients (ISPsystem's WHMCS module) may send numbers as strings; both are taken.
const positiveInt = (value: unknown): number | null => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
};

// `hdd_mib`, or the first disk of `disks[]` (gadost's NewHostRequest has both forms).
const diskOf = (body: Record<string, unknown>): unknown => {
  if (body.hdd_mib !== undefined) return body.hdd_mib;
  const first = Array.isArray(body.disks)
    ? (body.disks[0] as Record<string, unknown> | undefined)
    : undefined;
  return first?.size_mib;
};

type HostRequest = Omit<SimHost, 'id' | 'task'>;

function parseHostRequest(raw: unknown): HostRequest | SimAnswer {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return refuse('invalid_field', { field: 'body' });
  const body = raw as Record<string, unknown>;
  if (typeof body.name !== 'string' || body.name.trim() === '')
    return refuse('invalid_field', { field: 'name' });
  const fields = {
    os: positiveInt(body.os),
    cluster: positiveInt(body.cluster),
    ram_mib: positiveInt(body.ram_mib),
    hdd_mib: positiveInt(diskOf(body)),
    cpu_number: body.cpu_number === undefined ? 1 : positiveInt(body.cpu_number),
  };
  for (const [field, value] of Object.entries(fields))
    if (value === null) return refuse('invalid_field', { field });
  const account = body.account === undefined ? null : positiveInt(body.account);
  return { name: body.name, ...(fields as Record<keyof typeof fields, number>), account };
}

/**
 * Checks a create request against the catalog the simulator serves: the cluster exists, the
 * template exists, is on that cluster, active, not admin-only, of the cluster's kind (LXD image on
 * an LXD cluster), and the disk and RAM meet the minimums the template's wire shape carries (an
 * installation old enough not to send them does not check them). Returns the request or the refusal.
 */
export function checkHostRequest(data: SimStateData, raw: unknown): HostRequest | SimAnswer {
  const request = parseHostRequest(raw);
  if ('status' in request) return request;
  const cluster = data.clusters.find((c) => c.id === request.cluster);
  if (!cluster) return refuse('cluster_not_found', { cluster: request.cluster });
  const template = data.templates.find((t) => t.id === request.os);
  if (!template) return refuse('os_not_found', { os: request.os });
  const os = request.os;
  if (!template.clusters.some((c) => c.id === cluster.id))
    return refuse('os_not_on_cluster', { os, cluster: cluster.id });
  if (template.state !== 'active') return refuse('os_not_active', { os, state: template.state });
  if (template.adminonly) return refuse('os_admin_only', { os });
  const lxdCluster = cluster.virtualization_type.toLowerCase() === 'lxd';
  if (template.is_lxd_image !== lxdCluster)
    return refuse('virtualization_mismatch', { os, virtualization_type: cluster.virtualization_type });
  const wire = renderOsItem(template);
  const hddRequired = typeof wire.hdd_mib_required === 'number' ? wire.hdd_mib_required : null;
  if (hddRequired !== null && request.hdd_mib < hddRequired)
    return refuse('hdd_too_small', { os, hdd_mib: request.hdd_mib, hdd_mib_required: hddRequired });
  const ramRequired = typeof wire.min_ram_mib === 'number' ? wire.min_ram_mib : null;
  if (ramRequired !== null && request.ram_mib < ramRequired)
    return refuse('ram_too_small', { os, ram_mib: request.ram_mib, min_ram_mib: ramRequired });
  return request;
}

/** `POST /vm/v3/host`: creates the VM when `checkHostRequest` lets it, answering its id and task. */
export function createHost(data: SimStateData, hosts: SimHosts, rawBody: string): SimAnswer {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: { code: 2001, msg: 'Invalid JSON in request body', value: {} } } };
  }
  const checked = checkHostRequest(data, body);
  if ('status' in checked) return checked;
  const host = hosts.add(checked);
  // The answer's fields are those of sephora_bot's CreateVMSuccesffulyResponse and gadost's types.
  return {
    status: 200,
    body: { id: host.id, task: host.task, recipe_task_list: [], recipe_task: null, spice_task: null },
  };
}

/** `GET /vm/v3/host` items: the fields ISPsystem's WHMCS module and sephora_bot read. */
export function renderHost(data: SimStateData, host: SimHost): Record<string, unknown> {
  const cluster = data.clusters.find((c) => c.id === host.cluster);
  const os = data.templates.find((t) => t.id === host.os);
  return {
    id: host.id,
    name: host.name,
    state: 'active',
    os: { id: host.os, name: os?.name ?? null },
    cluster: { id: host.cluster, name: cluster?.name ?? null },
    cpu_number: host.cpu_number,
    ram_mib: host.ram_mib,
    disk: { disk_mib: host.hdd_mib },
    account: host.account === null ? null : { id: host.account },
  };
}
