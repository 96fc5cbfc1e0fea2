import { AppError, type ErrorCode } from '../shared/errors.js';
import type { SyncRunResult, SyncStage } from '../sync/sync.schema.js';
import type { ConnectionFailureReason } from '../vmmanager6/vmmanager6.service.js';
import type { ModulesService } from './modules.service.js';
import { connectionSettingsOf, type ModuleCreate, type ProcessingModule } from './modules.schema.js';

/** The steps of adding a module, in order, for progress output. */
export type OnboardingStage = 'testing_connection' | 'creating' | SyncStage;

/** What adding a module produced: the module and the result of its initial sync. */
export interface OnboardingResult {
  module: ProcessingModule;
  /** The VMmanager account and clusters the connection test saw. */
  connection: { email: string; clusters: { id: number; name: string }[]; warnings: string[] };
  sync: SyncRunResult;
}

type RunInitialSync = (
  moduleId: number,
  options: {
    trigger: 'initial';
    actor: string;
    onProgress?: (stage: SyncStage, info?: unknown) => void;
  },
) => Promise<SyncRunResult>;

export interface OnboardingDeps {
  modules: Pick<ModulesService, 'validateCreate' | 'testConnection' | 'createModule'>;
  runSync: RunInitialSync;
}

// A failed connection test becomes the error an API client or the CLI can act on.
const failureCodes: Record<ConnectionFailureReason, ErrorCode> = {
  wrong_password: 'upstream_auth',
  unconfirmed: 'upstream_auth',
  token_refused: 'upstream_auth',
  not_vmmanager: 'upstream_invalid',
  redirect: 'upstream_invalid',
  not_admin: 'upstream_auth',
  unreachable: 'upstream_unavailable',
  suspended: 'upstream_unavailable',
  tls: 'upstream_unavailable',
  timeout: 'upstream_timeout',
  invalid_answer: 'upstream_invalid',
  cluster_missing: 'invalid_input',
};

export type OnboardingService = ReturnType<typeof createOnboardingService>;

/** Adding a processing module the way BILLmanager's wizard does: test, create, sync. */
export function createOnboardingService(deps: OnboardingDeps) {
  const listeners = new Set<(module: ProcessingModule) => void>();
  return {
    /** Calls `listener` after each module is created (the scheduler reconciles at once). */
    onModuleAdded(listener: (module: ProcessingModule) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    /**
     * Validates the input, tests the connection (a failure creates nothing and throws an error
     * whose message says why, with `details.reason`), creates the module and runs its initial sync.
     */
    async addModuleWithInitialSync(
      input: ModuleCreate,
      actor: string,
      onProgress?: (stage: OnboardingStage, info?: unknown) => void,
    ): Promise<OnboardingResult> {
      const data = deps.modules.validateCreate(input);
      onProgress?.('testing_connection');
      const test = await deps.modules.testConnection(connectionSettingsOf(data));
      if (!test.ok) {
        throw new AppError(failureCodes[test.reason], `connection test failed: ${test.message}`, {
          reason: test.reason,
          ...(test.reason === 'cluster_missing' ? { field: 'clusterId' } : {}),
        });
      }
      onProgress?.('creating');
      const module = await deps.modules.createModule(data, actor);
      for (const listener of listeners) listener(module);
      const sync = await deps.runSync(module.id, {
        trigger: 'initial',
        actor,
        ...(onProgress ? { onProgress } : {}),
      });
      return {
        module,
        connection: {
          email: test.user.email,
          clusters: test.clusters.map((c) => ({ id: c.id, name: c.name })),
          warnings: test.warnings,
        },
        sync,
      };
    },
  };
}
