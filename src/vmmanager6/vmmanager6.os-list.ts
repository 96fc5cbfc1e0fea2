import { Type, type TSchema } from 'typebox';
import { AppError } from '../shared/errors.js';
import { conforms, parseWith } from '../shared/validate.js';

/** An OS template as VMmanager 6 lists it, after parsing (camelCase); null means "the answer did not say". */
export interface VmOsTemplate {
  id: number;
  name: string;
  repository: string;
  repositoryId: number | null;
  state: string;
  tags: string[];
  osGroup: string | null;
  adminonly: boolean;
  hddMibRequired: number | null;
  minRamMib: number | null;
  /** The clusters it is enabled on; null when the item did not say (absent, null or unreadable). */
  clusters: { id: number; name: string | null }[] | null;
  /** True for an LXD image, false for a KVM template, null when the item did not say. */
  isLxdImage: boolean | null;
  updatedAt: string | null;
}

/** An item of the OS list that could not be used, with what we could read of it. */
export interface SkippedOsItem {
  /** Its position in the answer's list (0-based). */
  position: number;
  id: number | null;
  name: string | null;
  repository: string | null;
  reason: string;
}

/** A parsed OS list: the usable templates, the skipped items and how many items were listed. */
export interface OsList {
  templates: VmOsTemplate[];
  skipped: SkippedOsItem[];
  listed: number;
}

// Untrusted text kept in run records is cut to this length.
const maxTextLength = 200;
const cut = (text: string): string =>
  text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text;

/** The envelope `{ last_notify, list, size? }`; the items are parsed one by one afterwards. */
export const OsListEnvelopeSchema = Type.Object({
  list: Type.Array(Type.Unknown()),
  size: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});

const NonEmptyString = Type.String({ minLength: 1, pattern: '\\S' });

// What an item must carry to be usable, in the order a reason is reported.
const requiredFields: [field: string, schema: TSchema, expected: string][] = [
  ['id', Type.Integer(), 'an integer'],
  ['name', NonEmptyString, 'a non-empty string'],
  ['repository', NonEmptyString, 'a non-empty string'],
  ['state', Type.String(), 'a string'],
  ['adminonly', Type.Boolean(), 'true or false'],
];

const ClusterRef = Type.Object({ id: Type.Integer(), name: Type.Optional(Type.Unknown()) });
const OptionalNumber = Type.Number({ minimum: 0 });
const OptionalString = Type.String();
const OptionalInteger = Type.Integer();
const OptionalBoolean = Type.Boolean();
const StringList = Type.Array(Type.String());

// An optional field of the wrong type is unknown (null), never guessed.
const read = <T>(schema: TSchema, value: unknown): T | null =>
  conforms(schema, value) ? (value as T) : null;

type ClusterRefs = VmOsTemplate['clusters'];

// `clusters` comes as an array (gadost), as one object (sephora_bot's type), or null/absent.
function readClusters(value: unknown): ClusterRefs {
  const refs = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : null;
  if (!refs || !refs.every((ref) => conforms(ClusterRef, ref))) return null;
  return (refs as { id: number; name?: unknown }[]).map((ref) => ({
    id: ref.id,
    name: typeof ref.name === 'string' ? cut(ref.name) : null,
  }));
}

const whyUnusable = (item: unknown): string | null => {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return 'not an object';
  const record = item as Record<string, unknown>;
  for (const [field, schema, expected] of requiredFields) {
    const value = record[field];
    if (value === undefined || value === null) return `no ${field}`;
    if (!conforms(schema, value)) return `${field} is not ${expected}`;
  }
  return null;
};

const skippedOf = (item: unknown, position: number, reason: string): SkippedOsItem => {
  const record = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? cut(value) : null);
  return {
    position,
    id: read<number>(OptionalInteger, record.id),
    name: text(record.name),
    repository: text(record.repository),
    reason,
  };
};

function toTemplate(record: Record<string, unknown>): VmOsTemplate {
  return {
    id: record.id as number,
    name: record.name as string,
    repository: record.repository as string,
    repositoryId: read(OptionalInteger, record.repository_id),
    state: record.state as string,
    tags: read<string[]>(StringList, record.tags) ?? [],
    osGroup: read(OptionalString, record.os_group),
    adminonly: record.adminonly as boolean,
    hddMibRequired: read(OptionalNumber, record.hdd_mib_required),
    minRamMib: read(OptionalNumber, record.min_ram_mib),
    clusters: readClusters(record.clusters),
    isLxdImage: read(OptionalBoolean, record.is_lxd_image),
    updatedAt: read(OptionalString, record.updated_at),
  };
}

// A list shorter than the `size` it announces was cut off on the way; using it would look like deletions.
/** Throws `upstream_invalid` when a list answer holds fewer items than its `size` says. */
export function checkListComplete(body: { list: unknown[]; size?: number | null }, path: string): void {
  if (typeof body.size === 'number' && body.size !== body.list.length) {
    throw new AppError(
      'upstream_invalid',
      `VMmanager answered ${path} with ${body.list.length} of ${body.size} items`,
      {
        path,
        size: body.size,
        received: body.list.length,
      },
    );
  }
}

/**
 * Parses a `/vm/v3/os` answer item by item: an unusable item is skipped with its reason, the rest
 * are kept. An answer that is not an OS list, or a list shorter than the `size` it announces (cut
 * off on the way), is `upstream_invalid`. Without `size` the list is taken as complete.
 */
export function parseOsList(body: unknown, path: string): OsList {
  const envelope = parseWith(OsListEnvelopeSchema, body, {
    code: 'upstream_invalid',
    what: `${path} answer`,
  });
  checkListComplete(envelope, path);
  const { list } = envelope;
  const templates: VmOsTemplate[] = [];
  const skipped: SkippedOsItem[] = [];
  list.forEach((item, position) => {
    const reason = whyUnusable(item);
    if (reason) skipped.push(skippedOf(item, position, reason));
    else templates.push(toTemplate(item as Record<string, unknown>));
  });
  return { templates, skipped, listed: list.length };
}
