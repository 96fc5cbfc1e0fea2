import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import { createSeed } from './sim-seed.js';
import {
  simItemShapes,
  type SimItemShape,
  type SimOsItem,
  type SimSeed,
  type SimStateData,
  type SimTemplateInput,
  type SimTemplatePatch,
} from './sim-types.js';

/** The simulator's catalog and the controls that change it while it runs. */
export interface SimState {
  snapshot(): SimStateData;
  listTemplates(): SimOsItem[];
  addTemplate(input: SimTemplateInput): SimOsItem;
  removeTemplate(id: number): void;
  updateTemplate(id: number, patch: SimTemplatePatch): SimOsItem;
  renameTemplate(id: number, name: string): SimOsItem;
  moveTemplate(id: number, clusterIds: number[]): SimOsItem;
  setHddMibRequired(id: number, mib: number | null): SimOsItem;
  renameRepository(id: number, name: string): void;
  replaceTemplates(inputs: SimTemplateInput[]): void;
  reset(seed?: SimSeed): void;
}

const stamp = (): string => new Date().toISOString().replace('T', ' ').slice(0, 19);

const clusterRefs = (data: SimStateData, ids: number[]) =>
  ids.map((id) => {
    const cluster = data.clusters.find((c) => c.id === id);
    if (!cluster)
      throw new AppError('invalid_input', `the simulator has no cluster ${id}`, { clusterId: id });
    return { id: cluster.id, name: cluster.name, updated_at: stamp() };
  });

const nodeRefs = (data: SimStateData, clusterIds: number[]) =>
  data.nodes
    .filter((node) => clusterIds.includes(node.cluster_id))
    .map((node) => ({ id: node.id, name: node.name, ip_addr: node.ip_addr, ssh_port: 22 }));

const checkShape = (shape: SimItemShape | undefined): SimItemShape | undefined => {
  if (shape !== undefined && !simItemShapes.includes(shape))
    throw new AppError('invalid_input', `shape must be one of ${simItemShapes.join(', ')}`, { shape });
  return shape;
};

const nextId = (data: SimStateData): number => Math.max(9000, ...data.templates.map((t) => t.id)) + 1;

/** Builds a full wire-format OS item from a camelCase input, with realistic defaults. */
export function buildOsItem(data: SimStateData, input: SimTemplateInput): SimOsItem {
  const repository = data.repositories.find((r) => r.id === (input.repositoryId ?? 1));
  if (!repository)
    throw new AppError('invalid_input', `the simulator has no repository ${input.repositoryId}`, {});
  // By default a template is on every cluster of its kind: LXD images on LXD clusters, the rest on KVM.
  const lxd = input.isLxdImage ?? false;
  const clusterIds =
    input.clusterIds ??
    data.clusters.filter((c) => (c.virtualization_type === 'lxd') === lxd).map((c) => c.id);
  const lower = input.name.toLowerCase();
  const defaultTags = lower.includes('windows')
    ? ['windows']
    : lower.includes('bsd')
      ? ['freebsd', 'unix']
      : ['linux'];
  return {
    id: input.id ?? nextId(data),
    name: input.name,
    repository: repository.name,
    repository_id: repository.id,
    state: input.state ?? 'active',
    tags: input.tags ?? defaultTags,
    os_group: input.osGroup ?? input.name.split(' ')[0]!.toLowerCase(),
    adminonly: input.adminonly ?? false,
    hdd_mib_required: input.hddMibRequired === undefined ? 10240 : input.hddMibRequired,
    min_ram_mib: input.minRamMib ?? 512,
    clusters: clusterRefs(data, clusterIds),
    nodes: nodeRefs(data, clusterIds),
    updated_at: stamp(),
    is_lxd_image: input.isLxdImage ?? false,
    kms_supported: lower.includes('windows'),
    kms_ip: '',
    kms_port: 1688,
    product_key: '',
    comment: '',
    cpu_mode: 'default',
    efi_boot: false,
    ...(input.shape && input.shape !== 'current' ? { shape: checkShape(input.shape) } : {}),
  };
}

const seeded = (seed: SimSeed): SimStateData => {
  const { data, templates } = createSeed(seed);
  const state: SimStateData = { ...data, templates: [] };
  for (const input of templates) state.templates.push(buildOsItem(state, input));
  return state;
};

const loadOrSeed = (stateFile: string | undefined, seed: SimSeed): SimStateData => {
  if (stateFile && existsSync(stateFile)) return JSON.parse(readFileSync(stateFile, 'utf8')) as SimStateData;
  return seeded(seed);
};

/** Creates the simulator state from the state file if it exists, otherwise from the seed. */
export function createSimState(options: { stateFile?: string; seed?: SimSeed } = {}): SimState {
  let data = loadOrSeed(options.stateFile, options.seed ?? 'default');
  const save = (): void => {
    data.lastNotify += 1;
    if (options.stateFile) writeFileSync(options.stateFile, JSON.stringify(data, null, 2));
  };
  save();
  const find = (id: number): SimOsItem => {
    const template = data.templates.find((t) => t.id === id);
    if (!template) throw new AppError('not_found', `the simulator has no template ${id}`, { id });
    return template;
  };
  const update = (id: number, patch: SimTemplatePatch): SimOsItem => {
    const template = find(id);
    applyPatch(data, template, patch);
    save();
    return structuredClone(template);
  };
  return {
    snapshot: () => structuredClone(data),
    listTemplates: () => structuredClone(data.templates),
    addTemplate(input) {
      const item = buildOsItem(data, input);
      if (data.templates.some((t) => t.id === item.id))
        throw new AppError('conflict', `template ${item.id} exists`, {});
      data.templates.push(item);
      save();
      return structuredClone(item);
    },
    removeTemplate(id) {
      find(id);
      data.templates = data.templates.filter((t) => t.id !== id);
      save();
    },
    updateTemplate: update,
    renameTemplate: (id, name) => update(id, { name }),
    moveTemplate: (id, clusterIds) => update(id, { clusterIds }),
    setHddMibRequired: (id, mib) => update(id, { hddMibRequired: mib }),
    renameRepository(id, name) {
      const repository = data.repositories.find((r) => r.id === id);
      if (!repository) throw new AppError('not_found', `the simulator has no repository ${id}`, { id });
      repository.name = name;
      for (const t of data.templates.filter((t) => t.repository_id === id)) t.repository = name;
      save();
    },
    replaceTemplates(inputs) {
      const next: SimStateData = { ...data, templates: [] };
      for (const input of inputs) next.templates.push(buildOsItem(next, input));
      data = next;
      save();
    },
    reset(seed = 'default') {
      data = { ...seeded(seed), lastNotify: data.lastNotify };
      save();
    },
  };
}

function applyPatch(data: SimStateData, template: SimOsItem, patch: SimTemplatePatch): void {
  if (patch.name !== undefined) template.name = patch.name;
  if (patch.state !== undefined) template.state = patch.state;
  if (patch.adminonly !== undefined) template.adminonly = patch.adminonly;
  if (patch.hddMibRequired !== undefined) template.hdd_mib_required = patch.hddMibRequired;
  if (patch.minRamMib !== undefined) template.min_ram_mib = patch.minRamMib;
  if (patch.shape !== undefined) {
    if (checkShape(patch.shape) === 'current') delete template.shape;
    else template.shape = patch.shape;
  }
  if (patch.clusterIds !== undefined) {
    template.clusters = clusterRefs(data, patch.clusterIds);
    template.nodes = nodeRefs(data, patch.clusterIds);
  }
  template.updated_at = stamp();
}
