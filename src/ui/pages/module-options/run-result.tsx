import type { SyncRun } from '../../types';
import { Counts, DiffView, OutcomeBadge } from '../diff';
import { GuardReason } from './guard-reason';

export function RunResult({ run }: { run: SyncRun }) {
  return (
    <div className="run-result" aria-label="Sync result" data-run-id={run.runId}>
      <p>
        Result: <OutcomeBadge run={run} /> <span className="muted">run #{run.runId}</span>
      </p>
      {run.outcome === 'held' ? (
        <p>
          Held: <GuardReason run={run} />
        </p>
      ) : null}
      {run.error ? <p className="error">{run.error.message}</p> : null}
      <Counts counts={run.counts} />
      <DiffView diff={run.diff} />
    </div>
  );
}
