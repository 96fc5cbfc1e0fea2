import { Type, type Static } from 'typebox';

// Upstream answers: objects stay open (extra fields are ignored), only what we use is required.
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]));

const IdSchema = Type.Union([Type.Integer(), Type.String()]);

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    msg: Type.Optional(Type.String()),
  }),
});

export const LoginAnswerSchema = Type.Object({
  id: Type.Optional(IdSchema),
  token: Type.String({ minLength: 1 }),
  expires_at: Nullable(Type.String()),
  confirmed: Nullable(Type.Boolean()),
});

export const WhoamiAnswerSchema = Type.Object({
  id: IdSchema,
  email: Type.String(),
  roles: Nullable(Type.Array(Type.String())),
});

const ClusterRefSchema = Type.Object({ id: Type.Integer(), name: Type.String() });

export const OsItemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  repository: Type.String(),
  repository_id: Nullable(Type.Integer()),
  state: Type.String(),
  tags: Nullable(Type.Array(Type.String())),
  os_group: Nullable(Type.String()),
  adminonly: Type.Boolean(),
  hdd_mib_required: Nullable(Type.Number()),
  min_ram_mib: Nullable(Type.Number()),
  clusters: Type.Array(ClusterRefSchema),
  updated_at: Nullable(Type.String()),
});

export const ClusterItemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  virtualization_type: Nullable(Type.String()),
});

export const RepositoryItemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  url: Nullable(Type.String()),
  state: Nullable(Type.String()),
  type: Nullable(Type.String()),
});

/** The list envelope `{ last_notify, list, size? }` shared by every `/vm/v3` list. */
export const listAnswerSchema = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    last_notify: Nullable(Type.Number()),
    list: Type.Array(item),
    size: Nullable(Type.Integer()),
  });

export const OsListAnswerSchema = listAnswerSchema(OsItemSchema);
export const ClusterListAnswerSchema = listAnswerSchema(ClusterItemSchema);
export const RepositoryListAnswerSchema = listAnswerSchema(RepositoryItemSchema);

export type ErrorBody = Static<typeof ErrorBodySchema>;
export type LoginAnswer = Static<typeof LoginAnswerSchema>;
export type WhoamiAnswer = Static<typeof WhoamiAnswerSchema>;
export type OsItem = Static<typeof OsItemSchema>;
export type ClusterItem = Static<typeof ClusterItemSchema>;
export type RepositoryItem = Static<typeof RepositoryItemSchema>;

/** An OS template as VMmanager 6 lists it, after parsing (camelCase). */
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
  clusters: { id: number; name: string }[];
  updatedAt: string | null;
}

/** A VMmanager 6 cluster. */
export interface VmCluster {
  id: number;
  name: string;
  virtualizationType: string | null;
}

/** A VMmanager 6 OS template repository. */
export interface VmRepository {
  id: number;
  name: string;
  url: string | null;
  state: string | null;
  type: string | null;
}

/** The logged-in VMmanager 6 user; `roles` is empty when the answer did not carry any. */
export interface VmUser {
  id: string;
  email: string;
  roles: string[];
}

/** Maps one parsed `/vm/v3/os` item to a VmOsTemplate. */
export function osItemToTemplate(item: OsItem): VmOsTemplate {
  return {
    id: item.id,
    name: item.name,
    repository: item.repository,
    repositoryId: item.repository_id ?? null,
    state: item.state,
    tags: item.tags ?? [],
    osGroup: item.os_group ?? null,
    adminonly: item.adminonly,
    hddMibRequired: item.hdd_mib_required ?? null,
    minRamMib: item.min_ram_mib ?? null,
    clusters: item.clusters.map((cluster) => ({ id: cluster.id, name: cluster.name })),
    updatedAt: item.updated_at ?? null,
  };
}

/** Maps one parsed `/vm/v3/cluster` item to a VmCluster. */
export function clusterItemToCluster(item: ClusterItem): VmCluster {
  return { id: item.id, name: item.name, virtualizationType: item.virtualization_type ?? null };
}

/** Maps one parsed `/vm/v3/repository` item to a VmRepository. */
export function repositoryItemToRepository(item: RepositoryItem): VmRepository {
  return {
    id: item.id,
    name: item.name,
    url: item.url ?? null,
    state: item.state ?? null,
    type: item.type ?? null,
  };
}

/** Maps the parsed `/auth/v4/whoami` answer to a VmUser. */
export function whoamiAnswerToUser(answer: WhoamiAnswer): VmUser {
  return { id: String(answer.id), email: answer.email, roles: answer.roles ?? [] };
}
