/** Wire-format records: the simulator stores exactly what VMmanager 6 would send (snake_case). */
export interface SimClusterRef {
  id: number;
  name: string;
  updated_at: string;
}

export interface SimNodeRef {
  id: number;
  name: string;
  ip_addr: string;
  ssh_port: number;
}

export interface SimOsItem {
  id: number;
  name: string;
  repository: string;
  repository_id: number;
  state: string;
  tags: string[];
  os_group: string;
  adminonly: boolean;
  hdd_mib_required: number | null;
  min_ram_mib: number;
  clusters: SimClusterRef[];
  nodes: SimNodeRef[];
  updated_at: string;
  is_lxd_image: boolean;
  kms_supported: boolean;
  kms_ip: string;
  kms_port: number;
  product_key: string;
  comment: string;
  cpu_mode: string;
  efi_boot: boolean;
  /** How the item goes on the wire (default `current`); kept in the state, never served. */
  shape?: SimItemShape;
}

/**
 * The shapes of OS items real installations send (docs/vmmanager6.md names the sources):
 * - `current`: every field (sephora_bot's 2025 type);
 * - `legacy_2022`: no `repository_id`, `hdd_mib_required`, `min_ram_mib`, `comment`, `cpu_mode`,
 *   `efi_boot`, `product_key` (gadost's 2022 `OSParams`);
 * - `clusters_object`: `clusters` as one `{id, name}` object (sephora_bot's type);
 * - `clusters_null`: `clusters: null`;
 * - `nameless`: no `name` (an item no catalog can use);
 * - `repository_null`: `repository: null`.
 */
export type SimItemShape =
  'current' | 'legacy_2022' | 'clusters_object' | 'clusters_null' | 'nameless' | 'repository_null';

export const simItemShapes: readonly SimItemShape[] = [
  'current',
  'legacy_2022',
  'clusters_object',
  'clusters_null',
  'nameless',
  'repository_null',
];

export interface SimCluster {
  id: number;
  name: string;
  virtualization_type: string;
  datacenter_type: string;
  node_ids: number[];
}

export interface SimNode {
  id: number;
  name: string;
  ip_addr: string;
  cluster_id: number;
}

export interface SimRepository {
  id: number;
  name: string;
  url: string;
  state: string;
  type: string;
}

/** Everything the simulator serves; this is also the JSON state file's content. */
export interface SimStateData {
  version: 1;
  lastNotify: number;
  repositories: SimRepository[];
  clusters: SimCluster[];
  nodes: SimNode[];
  templates: SimOsItem[];
}

/** A template to add, in camelCase; unspecified fields get realistic defaults. */
export interface SimTemplateInput {
  id?: number;
  name: string;
  repositoryId?: number;
  clusterIds?: number[];
  state?: string;
  adminonly?: boolean;
  hddMibRequired?: number | null;
  minRamMib?: number;
  osGroup?: string;
  tags?: string[];
  isLxdImage?: boolean;
  shape?: SimItemShape;
}

/** A change to one template; `clusterIds` moves it between clusters. */
export interface SimTemplatePatch {
  name?: string;
  clusterIds?: number[];
  state?: string;
  adminonly?: boolean;
  hddMibRequired?: number | null;
  minRamMib?: number;
  shape?: SimItemShape;
}

/** Which seed to start from when there is no state file. */
export type SimSeed = 'default' | 'empty' | { templates: number };
