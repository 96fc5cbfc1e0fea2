import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { OsList, SkippedOsItem, VmOsTemplate } from '../vmmanager6/vmmanager6.os-list.js';
import {
  internalNameOf,
  placeTemplate,
  type ModuleScope,
  type Placement,
} from '../vmmanager6/vmmanager6.templates.js';
import { parseWith } from '../shared/validate.js';
import type { SkippedTemplate, UpstreamSet, UpstreamTemplate } from './sync.plan.js';

const maxTags = 50;
const maxTagLength = 64;
const maxOsGroupLength = 64;

const mib = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) || value < 0 ? null : Math.ceil(value);

/**
 * The catalog's view of one VMmanager template for one module: named, with its minimum disk and
 * RAM, clean tags, where the module's installation builds it and whether it can be ordered now.
 */
export function templateToUpstream(
  template: VmOsTemplate,
  placement: Exclude<Placement, { kind: 'out' }>,
): UpstreamTemplate {
  const tags = [...new Set(template.tags.map((t) => t.trim().slice(0, maxTagLength).trim()).filter(Boolean))];
  const osGroup = template.osGroup?.trim().slice(0, maxOsGroupLength) || null;
  return {
    upstreamId: template.id,
    internalName: internalNameOf(template),
    displayName: template.name.trim() || internalNameOf(template),
    minDiskMib: mib(template.hddMibRequired),
    minRamMib: mib(template.minRamMib),
    osGroup,
    tags: tags.slice(0, maxTags),
    clusterIds: placement.clusterIds,
    virtualization: placement.virtualization,
    available: placement.kind === 'offer',
    unavailableReason: placement.kind === 'offer' ? null : (placement.reason ?? 'unavailable'),
  };
}

/** A skipped item as the run records it. */
export function skippedToRecord(item: SkippedOsItem): SkippedTemplate {
  return {
    upstreamId: item.id,
    name: item.name,
    internalName:
      item.name && item.repository ? internalNameOf({ name: item.name, repository: item.repository }) : null,
    reason: item.reason,
  };
}

/** A module's upstream set and its fingerprint. */
export interface FetchedUpstream extends UpstreamSet {
  hash: string;
}

/**
 * The module's upstream set from a parsed OS list: the templates its scope places (`placeTemplate`:
 * not admin-only, no NoOS unless asked for, on its cluster or any, of a fitting kind), available
 * or not, and the items that could not be used.
 */
export function toUpstreamSet(list: OsList, scope: ModuleScope): FetchedUpstream {
  const templates: UpstreamTemplate[] = [];
  for (const template of list.templates) {
    const placement = placeTemplate(template, scope);
    if (placement.kind !== 'out') templates.push(templateToUpstream(template, placement));
  }
  const set: UpstreamSet = {
    templates,
    skipped: list.skipped.map(skippedToRecord),
    listed: list.listed,
  };
  return { ...set, hash: hashUpstream(set) };
}

// Length-prefixed strings keep a line unambiguous whatever the names hold.
const text = (value: string | null) => (value === null ? '-' : `${value.length}:${value}`);

/** A fingerprint of the upstream set (order included): equal sets give equal plans. */
export function hashUpstream(set: UpstreamSet): string {
  // One joined string hashes faster than JSON.stringify of the whole set or one update per template.
  const lines = set.templates.map(
    (t) =>
      `${t.upstreamId}|${t.minDiskMib}|${t.minRamMib}|${text(t.osGroup)}|${text(t.internalName)}|${text(t.displayName)}|${t.tags.length}:${t.tags.map(text).join(',')}` +
      `|${t.clusterIds.join(',')}|${t.virtualization}|${t.available}|${text(t.unavailableReason)}`,
  );
  const skipped = set.skipped.map(
    (s) => `!${s.upstreamId}|${text(s.internalName)}|${text(s.name)}|${text(s.reason)}`,
  );
  return createHash('sha512')
    .update([`listed ${set.listed}`, ...lines, ...skipped].join('\n'))
    .digest('base64url');
}

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const StoredTemplate = Type.Object({
  upstreamId: Type.Integer(),
  internalName: Type.String({ minLength: 1 }),
  displayName: Type.String({ minLength: 1 }),
  minDiskMib: NullableInt,
  // Held runs recorded before these were kept have none of them.
  minRamMib: Type.Optional(NullableInt),
  osGroup: Type.Optional(NullableString),
  tags: Type.Array(Type.String()),
  clusterIds: Type.Optional(Type.Array(Type.Integer())),
  virtualization: Type.Optional(Type.Union([Type.Literal('kvm'), Type.Literal('lxd'), Type.Null()])),
  available: Type.Optional(Type.Boolean()),
  unavailableReason: Type.Optional(NullableString),
});

const StoredSkipped = Type.Object({
  upstreamId: NullableInt,
  name: NullableString,
  internalName: NullableString,
  reason: Type.String(),
});

/** The stored upstream set of a held run: an array of templates (older runs) or the whole set. */
export const StoredUpstream = Type.Union([
  Type.Array(StoredTemplate),
  Type.Object({
    templates: Type.Array(StoredTemplate),
    skipped: Type.Array(StoredSkipped),
    listed: Type.Integer(),
  }),
]);

/** Parses a held run's stored upstream set back before it is trusted again. */
export function parseStoredUpstream(value: unknown): UpstreamSet {
  const stored = parseWith(StoredUpstream, value, { what: 'stored upstream set', code: 'internal' });
  const set = Array.isArray(stored) ? { templates: stored, skipped: [], listed: stored.length } : stored;
  return {
    ...set,
    templates: set.templates.map((t) => ({
      ...t,
      minRamMib: t.minRamMib ?? null,
      osGroup: t.osGroup ?? null,
      clusterIds: t.clusterIds ?? [],
      virtualization: t.virtualization ?? null,
      available: t.available ?? true,
      unavailableReason: t.unavailableReason ?? null,
    })),
  };
}
