import type { VmCluster } from './vmmanager6.schema.js';
import type { VmOsTemplate } from './vmmanager6.os-list.js';

/** The catalog's internal name of a template: `<repository>__<name>`, case kept, nothing replaced. */
export function internalNameOf(template: Pick<VmOsTemplate, 'repository' | 'name'>): string {
  // BILLmanager's module turns '-' into ' ' here and breaks VM creation; we keep names verbatim.
  return `${template.repository}__${template.name}`;
}

/** What a module needs to know to place a template: its cluster, the installation's clusters, NoOS. */
export interface ModuleScope {
  /** The module's cluster; null: any cluster of the installation. */
  clusterId: number | null;
  /** The installation's clusters (their `virtualization_type` says KVM or LXD). */
  clusters: readonly VmCluster[];
  /** Offer VMmanager's NoOS pseudo-template (repository `local`). */
  includeNoOs: boolean;
}

export type Virtualization = 'kvm' | 'lxd';

/**
 * Where a template stands for one module:
 * - `offer`: the module offers it, built on `clusterIds` (those of its clusters that fit it);
 * - `unavailable`: it belongs to the module but cannot be ordered now (not `active`, or the item
 *   does not say which clusters it is on); a connection is kept, nothing new is added;
 * - `out`: not this module's (another cluster or kind, admin-only, NoOS excluded).
 */
export type Placement =
  | {
      kind: 'offer' | 'unavailable';
      clusterIds: number[];
      virtualization: Virtualization | null;
      reason?: string;
    }
  | { kind: 'out' };

// VMmanager's repository and template for "a VM without an OS" (ISPsystem's repository docs; sephora_bot).
const noOsRepository = 'local';
const noOsName = 'NoOS';

/** True for VMmanager's NoOS pseudo-template. */
export const isNoOs = (template: Pick<VmOsTemplate, 'repository' | 'name'>): boolean =>
  template.repository === noOsRepository || template.name === noOsName;

const kindOfTemplate = (template: VmOsTemplate): Virtualization | null =>
  template.isLxdImage === null ? null : template.isLxdImage ? 'lxd' : 'kvm';

const kindOfCluster = (cluster: VmCluster | undefined): Virtualization | null => {
  const type = cluster?.virtualizationType?.toLowerCase();
  return type === 'kvm' || type === 'lxd' ? type : null;
};

/** Where `template` stands for a module of `scope` (see `Placement`). */
export function placeTemplate(template: VmOsTemplate, scope: ModuleScope): Placement {
  if (template.adminonly) return { kind: 'out' };
  if (!scope.includeNoOs && isNoOs(template)) return { kind: 'out' };
  const virtualization = kindOfTemplate(template);
  if (template.clusters === null) {
    return {
      kind: 'unavailable',
      clusterIds: [],
      virtualization,
      reason: 'VMmanager did not say which clusters it is on',
    };
  }
  const clusterById = new Map(scope.clusters.map((c) => [c.id, c]));
  // An unknown kind on either side fits: we never exclude on a guess.
  const fits = (clusterId: number) => {
    const kind = kindOfCluster(clusterById.get(clusterId));
    return kind === null || virtualization === null || kind === virtualization;
  };
  const clusterIds = template.clusters
    .map((c) => c.id)
    .filter((id) => (scope.clusterId === null || id === scope.clusterId) && fits(id));
  if (clusterIds.length === 0) return { kind: 'out' };
  if (template.state !== 'active')
    return {
      kind: 'unavailable',
      clusterIds,
      virtualization,
      reason: `state ${template.state.slice(0, 64)}`,
    };
  return { kind: 'offer', clusterIds, virtualization };
}
