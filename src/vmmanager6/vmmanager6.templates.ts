import type { VmOsTemplate } from './vmmanager6.os-list.js';

/** The catalog's internal name of a template: `<repository>__<name>`, case kept, nothing replaced. */
export function internalNameOf(template: Pick<VmOsTemplate, 'repository' | 'name'>): string {
  // BILLmanager's module turns '-' into ' ' here and breaks VM creation; we keep names verbatim.
  return `${template.repository}__${template.name}`;
}

/** True when a template may be offered to customers at all: active and not admin-only. */
export function isOfferable(template: Pick<VmOsTemplate, 'state' | 'adminonly'>): boolean {
  return template.state === 'active' && !template.adminonly;
}

/** The templates a module may offer: offerable and enabled on its cluster (any cluster when null). */
export function selectModuleTemplates<T extends VmOsTemplate>(
  templates: readonly T[],
  clusterId: number | null,
): T[] {
  return templates.filter(
    (template) =>
      isOfferable(template) &&
      template.clusters !== null &&
      (clusterId === null
        ? template.clusters.length > 0
        : template.clusters.some((cluster) => cluster.id === clusterId)),
  );
}
