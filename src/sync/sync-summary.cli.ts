import { exitCodes, safe } from '../cli/cli-io.js';
import type { FieldChanges, SkippedTemplate, SyncPlan } from './sync.plan.js';
import type { SyncOutcome, SyncRunResult, SyncRunSummary, SyncStage } from './sync.schema.js';

/** How many entries of each kind a human summary lists before "… and N more". */
const listLimit = 15;

const stageText: Record<SyncStage, string> = {
  fetching: 'fetching templates from VMmanager',
  planning: 'planning',
  applying: 'applying',
  recording: 'recording the run',
};

/** One progress line of a human run. */
export const formatStage = (stage: SyncStage): string => `  … ${stageText[stage]}\n`;

/** 0 for applied, no change and dry run; 2 for held; 1 for failed. */
export function exitCodeOfOutcome(outcome: SyncOutcome): number {
  switch (outcome) {
    case 'applied':
    case 'no_change':
    case 'dry_run':
      return exitCodes.ok;
    case 'held':
      return exitCodes.held;
    case 'failed':
      return exitCodes.error;
  }
}

/** The worst exit code of several runs: failed beats held beats success. */
export const worstExitCode = (codes: number[]): number =>
  codes.includes(exitCodes.error) ? exitCodes.error : codes.includes(exitCodes.held) ? exitCodes.held : 0;

const outcomeText: Record<SyncOutcome, string> = {
  applied: 'applied',
  no_change: 'no change',
  held: 'HELD for review',
  failed: 'FAILED',
  dry_run: 'dry run (nothing applied)',
};

const mib = (value: number | null): string => (value === null ? 'unknown' : `${value} MiB`);

function describeChanges(changes: FieldChanges): string {
  const parts: string[] = [];
  if (changes.minDiskMib)
    parts.push(`min disk ${mib(changes.minDiskMib.from)} → ${mib(changes.minDiskMib.to)}`);
  if (changes.minRamMib) parts.push(`min RAM ${mib(changes.minRamMib.from)} → ${mib(changes.minRamMib.to)}`);
  if (changes.osGroup)
    parts.push(safe`OS group ${changes.osGroup.from ?? '-'} → ${changes.osGroup.to ?? '-'}`);
  if (changes.displayName) parts.push(safe`name "${changes.displayName.from}" → "${changes.displayName.to}"`);
  if (changes.upstreamId)
    parts.push(`upstream id ${changes.upstreamId.from ?? '-'} → ${changes.upstreamId.to ?? '-'}`);
  if (changes.available) parts.push('available again');
  if (changes.clusterIds)
    parts.push(
      `clusters ${changes.clusterIds.from?.join(',') || '-'} → ${changes.clusterIds.to?.join(',') || '-'}`,
    );
  if (changes.virtualization)
    parts.push(`kind ${changes.virtualization.from ?? '-'} → ${changes.virtualization.to ?? '-'}`);
  return parts.join(', ');
}

function limited<T>(items: T[], line: (item: T) => string): string[] {
  const lines = items.slice(0, listLimit).map(line);
  if (items.length > listLimit) lines.push(`      … and ${items.length - listLimit} more`);
  return lines;
}

function describePlan(plan: SyncPlan): string[] {
  return [
    ...limited(plan.add, (a) => safe`    + ${a.internalName}${a.awaitingReview ? '  (awaits review)' : ''}`),
    ...limited(plan.connect, (c) => safe`    ↺ ${c.internalName}  (connected again)`),
    ...limited(plan.update, (u) => safe`    ~ ${u.internalName}: ${describeChanges(u.changes)}`),
    ...limited(plan.disconnect, (d) => safe`    - ${d.internalName}  (disconnected)`),
    ...limited(
      plan.renameCandidates,
      (r) =>
        safe`    ? ${r.from.internalName} → ${r.to.internalName}  (rename candidate: ${r.reason.replace(/_/g, ' ')})`,
    ),
    ...limited(plan.unavailable, (u) => safe`    ‖ ${u.internalName}: unavailable (${u.reason})`),
    ...limited(plan.skipped, (s) => safe`    ! ${skippedName(s)} skipped: ${s.reason}`),
    ...limited(plan.impact, (t) => safe`    tariff "${t.tariffName}": +${t.gained} −${t.lost} orderable`),
  ];
}

const skippedName = (s: SkippedTemplate): string =>
  s.internalName ?? (s.name ? safe`"${s.name}"` : s.upstreamId !== null ? `item ${s.upstreamId}` : 'an item');

const countsLine = (run: SyncRunSummary): string => {
  const c = run.counts;
  return (
    `  upstream ${c.upstream} · added ${c.added} · connected ${c.connected} · updated ${c.updated}` +
    ` · disconnected ${c.disconnected} · unchanged ${c.unchanged}` +
    (c.renameCandidates > 0 ? ` · rename candidates ${c.renameCandidates}` : '') +
    (c.unavailable > 0 ? ` · unavailable ${c.unavailable}` : '') +
    (c.skipped > 0 ? ` · skipped ${c.skipped} (VMmanager listed them, they could not be used)` : '')
  );
};

/** A readable summary of one run: outcome, counts, the diff (capped) and what to do next. */
export function formatRunSummary(run: SyncRunResult, moduleName: string): string {
  const lines = [
    safe`module ${run.moduleId} (${moduleName}): ${outcomeText[run.outcome]} — run ${run.runId}` +
      (run.runCount > 1 ? ` (×${run.runCount}: the same as the ${run.runCount - 1} before it)` : ''),
  ];
  if (run.outcome !== 'failed') lines.push(countsLine(run));
  if (run.diff) lines.push(...describePlan(run.diff));
  if (run.error) lines.push(safe`  error: ${run.error.message} (${run.error.code})`);
  if (run.outcome === 'held') {
    if (run.guardMessage) lines.push(safe`  why: ${run.guardMessage}`);
    lines.push(
      `  review it, then: os-catalog sync apply ${run.runId}   or   os-catalog sync discard ${run.runId}`,
    );
  }
  return lines.join('\n') + '\n';
}
