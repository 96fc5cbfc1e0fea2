import { Type } from 'typebox';
import type { App } from '../app.js';
import { DateTime, Id, NullableDateTime, NullableInt, NullableString } from '../shared/primitives.schema.js';
import { OsTemplate } from '../catalog/catalog.schema.js';
import { ModuleCreate, ProcessingModule } from '../modules/modules.schema.js';
import { RemapInput, SyncRunQuery } from './sync.schema.js';
import { actorOfRequest } from '../http/http.auth.js';
import { adminSecurity, ErrorBody, errorResponses, IdParams, ItemsOf } from '../http/http.schemas.js';
import type { Server } from '../http/http.server.js';

const admin = { config: { access: 'admin' as const } };
const security = adminSecurity;
const tags = ['sync'];
const syncErrors = { ...errorResponses, 423: ErrorBody, 502: ErrorBody, 504: ErrorBody };

const summaryFields = {
  runId: Type.Integer(),
  moduleId: Type.Integer(),
  trigger: Type.String({ description: 'initial | schedule | manual' }),
  outcome: Type.String({ description: 'applied | no_change | held | failed | dry_run' }),
  counts: Type.Record(Type.String(), Type.Integer()),
  guardReason: NullableString,
  guardMessage: NullableString,
  error: Type.Unsafe<{ code: string; message: string } | null>({
    anyOf: [Type.Object({ code: Type.String(), message: Type.String() }), { type: 'null' }],
  }),
  heldState: NullableString,
  heldResolvedAt: NullableDateTime,
  heldResolvedBy: NullableString,
  appliedFromRunId: NullableInt,
  slot: NullableDateTime,
  actor: NullableString,
  startedAt: DateTime,
  finishedAt: NullableDateTime,
  runCount: Type.Integer({
    minimum: 1,
    description: 'How many runs this entry stands for: repeated no-change runs fold into one entry',
  }),
  lastFinishedAt: NullableDateTime,
};
export const SyncRunSummary = Type.Object(summaryFields);
export const SyncRun = Type.Object({
  ...summaryFields,
  diff: Type.Unsafe<unknown>({
    description: 'The plan: adds, connects, updates, disconnects, renames, impact',
  }),
});
const NamedValue = Type.Object({
  valueId: Type.Integer(),
  internalName: Type.String(),
  displayName: Type.String(),
  upstreamId: NullableInt,
});
const RenameCandidate = Type.Object({
  moduleId: Type.Integer(),
  reason: Type.String(),
  from: NamedValue,
  to: NamedValue,
});

const Onboarded = Type.Object({
  module: ProcessingModule,
  connection: Type.Object({
    email: Type.String(),
    clusters: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
    /** What the connection test could not check (it passed all the same). */
    warnings: Type.Array(Type.String()),
  }),
  initialSync: SyncRun,
});

// The options of a route that takes an id (of a module or a run) and answers one run.
const answersOneRun = (summary: string, errors: typeof errorResponses = syncErrors) => ({
  ...admin,
  schema: { tags, security, summary, params: IdParams, response: { 200: SyncRun, ...errors } },
});

/** Sync now, dry run, held plans (apply / discard), history with diffs, rename remaps. */
export function registerSyncRoutes(server: Server, app: App): void {
  server.post(
    '/api/v1/admin/modules',
    {
      ...admin,
      schema: {
        tags: ['modules'],
        security,
        summary: 'Add a module: connection test (a failure creates nothing), create, initial sync',
        body: ModuleCreate,
        response: { 201: Onboarded, ...syncErrors },
      },
    },
    async (request, reply) => {
      const result = await app.onboarding.addModuleWithInitialSync(request.body, actorOfRequest(request));
      return reply
        .code(201)
        .send({ module: result.module, connection: result.connection, initialSync: result.sync });
    },
  );

  server.post(
    '/api/v1/admin/modules/:id/sync',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Sync now (force skips the guard)',
        params: IdParams,
        body: Type.Optional(
          Type.Object({ force: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: { 200: SyncRun, ...syncErrors },
      },
    },
    async (request) =>
      app.sync.runSync(request.params.id, {
        trigger: 'manual',
        force: request.body.force ?? false,
        actor: actorOfRequest(request),
      }),
  );

  server.post(
    '/api/v1/admin/modules/:id/dry-run',
    answersOneRun('Plan a sync and record it as a dry run; nothing changes'),
    async (request) => app.sync.dryRun(request.params.id, actorOfRequest(request)),
  );

  server.get(
    '/api/v1/admin/sync-runs',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Sync history, newest first (without diffs)',
        querystring: SyncRunQuery,
        response: { 200: ItemsOf(SyncRunSummary), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.sync.listSyncRuns(request.query) }),
  );

  server.get(
    '/api/v1/admin/sync-runs/:id',
    answersOneRun('One sync run with its diff', errorResponses),
    async (request) => app.sync.getSyncRun(request.params.id),
  );

  server.post(
    '/api/v1/admin/sync-runs/:id/apply',
    answersOneRun('Apply a held plan; answers the run that applied it'),
    async (request) => app.sync.applyHeldRun(request.params.id, actorOfRequest(request)),
  );

  server.post('/api/v1/admin/sync-runs/:id/discard', answersOneRun('Discard a held plan'), async (request) =>
    app.sync.discardHeldRun(request.params.id, actorOfRequest(request)),
  );

  server.get(
    '/api/v1/admin/rename-candidates',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Template pairs that look like a rename upstream',
        querystring: Type.Object({ moduleId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: ItemsOf(RenameCandidate), ...errorResponses },
      },
    },
    async (request) => ({ items: await app.remap.listRenameCandidates(request.query.moduleId) }),
  );

  server.post(
    '/api/v1/admin/rename-candidates/remap',
    {
      ...admin,
      schema: {
        tags,
        security,
        summary: 'Move the admin decisions of the old template to the renamed one; retire the old',
        body: RemapInput,
        response: {
          200: Type.Object({ from: OsTemplate, to: OsTemplate, copiedTariffDecisions: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => app.remap.remapTemplate(request.body, actorOfRequest(request)),
  );
}
