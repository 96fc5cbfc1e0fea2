import { ErrorText, Page, Spinner, useLoad } from '../components';
import { Link } from '../router';
import { HealthBadge } from './modules';
import { SyncPanel } from './module-options/sync-panel';
import { HeldPlans } from './module-options/held-plans';
import { RenameCandidates } from './module-options/rename-candidates';
import { History } from './module-options/sync-history';
import { Settings } from './module-options/settings';
import { getModule } from '../api/modules';
import { listSyncRuns } from '../api/sync';

/** Integrations → Processing modules → (module) → Options. */
export function ModuleOptionsPage({ moduleId }: { moduleId: number }) {
  const mod = useLoad(() => getModule(moduleId), [moduleId]);
  const runs = useLoad(() => listSyncRuns(moduleId, 50), [moduleId]);
  const refresh = () => {
    mod.reload();
    runs.reload();
  };
  const m = mod.data;
  return (
    <Page
      title={m ? `Options: ${m.name}` : 'Module options'}
      crumbs={
        <>
          <span>Integrations</span> › <Link href="/integrations/modules">Processing modules</Link>
        </>
      }
      actions={m ? <HealthBadge module={m} /> : null}
    >
      <ErrorText error={mod.error} />
      {!m ? (
        mod.error ? null : (
          <Spinner label="Loading module…" />
        )
      ) : (
        <>
          <SyncPanel module={m} onDone={refresh} />
          <HeldPlans runs={runs.data?.items ?? []} onDone={refresh} />
          <RenameCandidates moduleId={m.id} version={runs.data} />
          <History runs={runs.data?.items ?? []} error={runs.error} />
          <Settings module={m} onSaved={mod.setData} />
        </>
      )}
    </Page>
  );
}
