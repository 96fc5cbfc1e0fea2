import type { SyncRun } from '../../types';

export function GuardReason({ run }: { run: SyncRun }) {
  return (
    <span className="warn-text" data-guard-reason={run.guardReason ?? ''}>
      {run.guardMessage ?? run.diff?.guard?.message ?? run.guardReason ?? 'the guard stopped it'}
    </span>
  );
}
