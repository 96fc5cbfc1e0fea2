import type { SimCluster, SimNode, SimRepository, SimStateData, SimTemplateInput } from './sim-types.js';

const repositories: SimRepository[] = [
  {
    id: 1,
    name: 'ISPsystem',
    url: 'https://download.ispsystem.com/OSTemplate/new/metadata.json',
    state: 'active',
    type: 'os',
  },
  {
    id: 2,
    name: 'ISPsystem LXD',
    url: 'https://download.ispsystem.com/OSTemplate/lxd/metadata.json',
    state: 'active',
    type: 'os',
  },
  { id: 3, name: 'local', url: '', state: 'active', type: 'local' },
  // A third repository, as on installations that keep end-of-life templates apart (sephora_bot).
  {
    id: 4,
    name: 'ISPsystem EOL',
    url: 'https://download.ispsystem.com/OSTemplate/eol/metadata.json',
    state: 'active',
    type: 'os',
  },
];

const clusters: SimCluster[] = [
  { id: 1, name: 'msk-kvm-1', virtualization_type: 'kvm', datacenter_type: 'common', node_ids: [1, 2] },
  { id: 2, name: 'ams-kvm-2', virtualization_type: 'kvm', datacenter_type: 'common', node_ids: [3] },
  { id: 3, name: 'ams-lxd-1', virtualization_type: 'lxd', datacenter_type: 'common', node_ids: [4] },
];

const nodes: SimNode[] = [
  { id: 1, name: 'msk-node-1', ip_addr: '192.0.2.11', cluster_id: 1 },
  { id: 2, name: 'msk-node-2', ip_addr: '192.0.2.12', cluster_id: 1 },
  { id: 3, name: 'ams-node-1', ip_addr: '198.51.100.21', cluster_id: 2 },
  { id: 4, name: 'ams-lxd-node-1', ip_addr: '198.51.100.31', cluster_id: 3 },
];

// The two KVM clusters; cluster 3 is LXD and holds only the LXD images.
const both = [1, 2];
const gib = (n: number): number => n * 1024;

// Cluster 1 and 2 share most templates but not all, so per-cluster selection is visible.
const defaultTemplates: SimTemplateInput[] = [
  // VMmanager's pseudo-template for a VM without an OS, in the `local` repository (ISPsystem's docs).
  {
    id: 8100,
    name: 'NoOS',
    repositoryId: 3,
    clusterIds: both,
    hddMibRequired: null,
    osGroup: 'noos',
    tags: [],
  },
  { id: 8201, name: 'AlmaLinux 9', clusterIds: both, hddMibRequired: gib(10), osGroup: 'almalinux' },
  { id: 8202, name: 'AlmaLinux 8', clusterIds: both, hddMibRequired: gib(10), osGroup: 'almalinux' },
  { id: 8203, name: 'Rocky Linux 9', clusterIds: both, hddMibRequired: gib(10), osGroup: 'rocky' },
  { id: 8204, name: 'Rocky Linux 8', clusterIds: [1], hddMibRequired: gib(10), osGroup: 'rocky' },
  { id: 8205, name: 'CentOS Stream 9', clusterIds: both, hddMibRequired: gib(10), osGroup: 'centos' },
  { id: 8206, name: 'Debian 12', clusterIds: both, hddMibRequired: gib(5), osGroup: 'debian' },
  { id: 8207, name: 'Debian 11', clusterIds: [2], hddMibRequired: gib(5), osGroup: 'debian' },
  { id: 8208, name: 'Ubuntu 24.04', clusterIds: both, hddMibRequired: gib(8), osGroup: 'ubuntu' },
  { id: 8209, name: 'Ubuntu 22.04', clusterIds: both, hddMibRequired: gib(8), osGroup: 'ubuntu' },
  {
    id: 8210,
    name: 'Ubuntu 20.04',
    clusterIds: both,
    hddMibRequired: gib(8),
    osGroup: 'ubuntu',
    state: 'updating',
  },
  { id: 8211, name: 'Oracle Linux 9', clusterIds: [1], hddMibRequired: gib(10), osGroup: 'oracle' },
  {
    id: 8212,
    name: 'FreeBSD 14.1',
    clusterIds: [1],
    hddMibRequired: gib(10),
    osGroup: 'freebsd',
    minRamMib: 1024,
  },
  {
    id: 8213,
    name: 'Windows Server 2022',
    clusterIds: both,
    hddMibRequired: gib(40),
    minRamMib: 2048,
    osGroup: 'windows',
  },
  {
    id: 8214,
    name: 'Windows Server 2019',
    clusterIds: [1],
    hddMibRequired: gib(40),
    minRamMib: 2048,
    osGroup: 'windows',
    adminonly: true,
  },
  {
    id: 8401,
    name: 'CentOS 7',
    repositoryId: 4,
    clusterIds: [2],
    hddMibRequired: gib(10),
    minRamMib: 1024,
    osGroup: 'centos',
  },
  {
    id: 8301,
    name: 'Ubuntu 22.04',
    repositoryId: 2,
    clusterIds: [3],
    hddMibRequired: gib(3),
    osGroup: 'ubuntu',
    isLxdImage: true,
  },
  {
    id: 8302,
    name: 'Debian 12',
    repositoryId: 2,
    clusterIds: [3],
    hddMibRequired: gib(3),
    osGroup: 'debian',
    isLxdImage: true,
  },
  {
    id: 8303,
    name: 'AlmaLinux 9',
    repositoryId: 2,
    clusterIds: [3],
    hddMibRequired: null,
    osGroup: 'almalinux',
    isLxdImage: true,
  },
];

const families = ['AlmaLinux', 'Rocky Linux', 'Debian', 'Ubuntu', 'Oracle Linux', 'CentOS Stream', 'FreeBSD'];

/** `count` generated templates for benchmarks; every 50th is admin-only, every 97th is not active. */
function generateTemplates(count: number): SimTemplateInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 10_000 + i,
    name: `${families[i % families.length]} ${Math.floor(i / families.length) + 1}.${i % 10}`,
    repositoryId: i % 5 === 4 ? 2 : 1,
    clusterIds: i % 3 === 0 ? [1] : i % 3 === 1 ? [2] : both,
    hddMibRequired: gib(5 + (i % 36)),
    adminonly: i % 50 === 49,
    state: i % 97 === 96 ? 'updating' : 'active',
  }));
}

/** The seed's topology (repositories, clusters, nodes) and template inputs. */
export function createSeed(seed: 'default' | 'empty' | { templates: number }): {
  data: Omit<SimStateData, 'templates'>;
  templates: SimTemplateInput[];
} {
  const data = { version: 1 as const, lastNotify: 1, repositories, clusters, nodes };
  const templates =
    seed === 'empty' ? [] : seed === 'default' ? defaultTemplates : generateTemplates(seed.templates);
  return { data: structuredClone(data), templates };
}
