import type { SimOsItem } from './sim-types.js';

// Fields gadost's 2022 `OSParams` does not have: installations of that age do not send them.
const newerThan2022 = [
  'repository_id',
  'hdd_mib_required',
  'min_ram_mib',
  'comment',
  'cpu_mode',
  'efi_boot',
  'product_key',
] as const;

/** One OS item as it goes on the wire, in the shape the state asks for. */
export function renderOsItem(item: SimOsItem): Record<string, unknown> {
  const { shape = 'current', ...wire } = item;
  const out: Record<string, unknown> = { ...wire };
  switch (shape) {
    case 'legacy_2022':
      for (const field of newerThan2022) delete out[field];
      break;
    case 'clusters_object': {
      const first = wire.clusters[0];
      out.clusters = first ? { id: first.id, name: first.name } : null;
      break;
    }
    case 'clusters_null':
      out.clusters = null;
      break;
    case 'nameless':
      delete out.name;
      break;
    case 'repository_null':
      out.repository = null;
      break;
    case 'current':
      break;
  }
  return out;
}
