import { useState } from 'react';
import { ErrorText, formatTime, Spinner, useAction, useLoad } from '../../components';
import type { SyncRun } from '../../types';
import { Counts, DiffView } from '../diff';
import { GuardReason } from './guard-reason';
import { getSyncRun, resolveHeldRun } from '../../api/sync';

/** Held plans: the guard stopped a sync; the admin applies or discards it. */
export function HeldPlans({ runs, onDone }: { runs: SyncRun[]; onDone: () => void }) {
  const action = useAction();
  const [actingOn, setActingOn] = useState<number | null>(null);
  const pending = runs.filter((r) => r.outcome === 'held' && r.heldState === 'pending');
  const resolve = async (run: SyncRun, how: 'apply' | 'discard') => {
    setActingOn(run.runId);
    await action.run(() => resolveHeldRun(run.runId, how));
    setActingOn(null);
    onDone();
  };
  return (
    <section className="card" aria-label="Held plans">
      <h2>Held plans {pending.length ? <span className="badge warn">{pending.length}</span> : null}</h2>
      {pending.length === 0 ? <p className="muted">No sync is waiting for a decision.</p> : null}
      {pending.map((run) => (
        <div key={run.runId} className="held" data-run-id={run.runId}>
          <p>
            <strong>Run #{run.runId}</strong> at {formatTime(run.startedAt)} was held:{' '}
            <GuardReason run={run} />
          </p>
          <Counts counts={run.counts} />
          <HeldDiff runId={run.runId} />
          <div className="buttons">
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={() => void resolve(run, 'apply')}
            >
              Apply
            </button>
            <button type="button" disabled={action.busy} onClick={() => void resolve(run, 'discard')}>
              Discard
            </button>
          </div>
          {actingOn === run.runId || (!action.busy && action.error) ? (
            <ErrorText error={action.error} />
          ) : null}
        </div>
      ))}
    </section>
  );
}

// The history list answers runs without their diffs; what Apply would do is fetched per held run.
function HeldDiff({ runId }: { runId: number }) {
  const detail = useLoad(() => getSyncRun(runId), [runId]);
  if (detail.error) return <ErrorText error={detail.error} />;
  if (!detail.data) return <Spinner label="Loading the held plan…" />;
  return <DiffView diff={detail.data.diff} />;
}
