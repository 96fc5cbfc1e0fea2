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

export const ClusterItemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  virtualization_type: Nullable(Type.String()),
});

/** The list envelope `{ last_notify, list, size? }` shared by every `/vm/v3` list. */
export const listAnswerSchema = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    last_notify: Nullable(Type.Number()),
    list: Type.Array(item),
    size: Nullable(Type.Integer()),
  });

export const ClusterListAnswerSchema = listAnswerSchema(ClusterItemSchema);

export type ErrorBody = Static<typeof ErrorBodySchema>;
export type ClusterItem = Static<typeof ClusterItemSchema>;

/** A VMmanager 6 cluster. */
export interface VmCluster {
  id: number;
  name: string;
  virtualizationType: string | null;
}

/**
 * The account a connection test signed in with: `id` null and `roles` empty when VMmanager did
 * not say, `email` the one it said or else the one we logged in with.
 */
export interface VmUser {
  id: string | null;
  email: string;
  roles: string[];
}

/** Maps one parsed `/vm/v3/cluster` item to a VmCluster. */
export function clusterItemToCluster(item: ClusterItem): VmCluster {
  return { id: item.id, name: item.name, virtualizationType: item.virtualization_type ?? null };
}
