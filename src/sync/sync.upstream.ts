import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import type { VmOsTemplate } from '../vmmanager6/vmmanager6.schema.js';
import { internalNameOf, selectModuleTemplates } from '../vmmanager6/vmmanager6.templates.js';
import { parseWith } from '../shared/validate.js';
import type { UpstreamTemplate } from './sync.plan.js';

const maxTags = 50;
const maxTagLength = 64;

/** The catalog's view of one VMmanager template: named, with its minimum disk and clean tags. */
export function templateToUpstream(template: VmOsTemplate): UpstreamTemplate {
  const tags = [...new Set(template.tags.map((t) => t.trim().slice(0, maxTagLength).trim()).filter(Boolean))];
  const disk = template.hddMibRequired;
  return {
    upstreamId: template.id,
    internalName: internalNameOf(template),
    displayName: template.name.trim() || internalNameOf(template),
    minDiskMib: disk === null || !Number.isFinite(disk) || disk < 0 ? null : Math.ceil(disk),
    tags: tags.slice(0, maxTags),
  };
}

/** A module's upstream set and its fingerprint. */
export interface FetchedUpstream {
  templates: UpstreamTemplate[];
  hash: string;
}

/** The module's upstream set from a parsed OS list: active, non-admin-only templates on its cluster (any when null). */
export function toUpstreamSet(templates: VmOsTemplate[], clusterId: number | null): FetchedUpstream {
  const upstream = selectModuleTemplates(templates, clusterId).map(templateToUpstream);
  return { templates: upstream, hash: hashUpstream(upstream) };
}

/** A fingerprint of the upstream set (order included): equal sets give equal plans. */
export function hashUpstream(upstream: UpstreamTemplate[]): string {
  // Length-prefixed strings keep it unambiguous whatever the names hold; one joined string
  // hashes faster than JSON.stringify of the whole set or one update per template.
  const text = (value: string) => `${value.length}:${value}`;
  const lines = upstream.map(
    (t) =>
      `${t.upstreamId}|${t.minDiskMib}|${text(t.internalName)}|${text(t.displayName)}|${t.tags.length}:${t.tags.map(text).join(',')}`,
  );
  return createHash('sha512').update(lines.join('\n')).digest('base64url');
}

/** The stored upstream set of a held run, parsed back before it is trusted again. */
export const StoredUpstream = Type.Array(
  Type.Object({
    upstreamId: Type.Integer(),
    internalName: Type.String({ minLength: 1 }),
    displayName: Type.String({ minLength: 1 }),
    minDiskMib: Type.Union([Type.Integer(), Type.Null()]),
    tags: Type.Array(Type.String()),
  }),
);

export function parseStoredUpstream(value: unknown): UpstreamTemplate[] {
  return parseWith(StoredUpstream, value, { what: 'stored upstream set', code: 'internal' }) satisfies Static<
    typeof StoredUpstream
  >;
}
