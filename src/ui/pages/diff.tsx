import type { ReactNode } from 'react';
import { formatMib } from '../components';
import type { FieldChanges, SyncPlan, SyncRun } from '../types';

const OUTCOME_TEXT: Record<string, string> = {
  running: 'running',
  applied: 'applied',
  no_change: 'no change',
  held: 'held for review',
  failed: 'failed',
  dry_run: 'dry run',
};

export function OutcomeBadge({ run }: { run: SyncRun }) {
  const tone =
    run.outcome === 'failed'
      ? 'bad'
      : run.outcome === 'held'
        ? 'warn'
        : run.outcome === 'applied'
          ? 'good'
          : '';
  const held =
    run.outcome === 'held' && run.heldState && run.heldState !== 'pending' ? ` → ${run.heldState}` : '';
  return (
    <span className={`badge ${tone}`} data-outcome={run.outcome}>
      {OUTCOME_TEXT[run.outcome] ?? run.outcome}
      {held}
    </span>
  );
}

const COUNT_TEXT: Record<string, string> = {
  upstream: 'in VMmanager',
  added: 'new',
  connected: 'connected',
  disconnected: 'disconnected',
  updated: 'updated',
  unchanged: 'unchanged',
  renameCandidates: 'rename candidates',
  skipped: 'skipped',
  unavailable: 'unavailable now',
};

const OPTIONAL_COUNTS = new Set(['skipped', 'unavailable']);

/** The run's counts as "label: n". */
export function Counts({ counts }: { counts: Record<string, number> | null }) {
  if (!counts) return null;
  // A count that is zero and not one of the everyday ones (skipped, …) is left out.
  const entries = Object.entries(counts).filter(
    ([k, v]) => typeof v === 'number' && (v > 0 || !OPTIONAL_COUNTS.has(k)),
  );
  if (entries.length === 0) return null;
  return (
    <ul className="counts">
      {entries.map(([k, v]) => (
        <li key={k} data-count={k}>
          {COUNT_TEXT[k] ?? k}: <strong>{v}</strong>
        </li>
      ))}
    </ul>
  );
}

function changesText(changes: FieldChanges): string {
  const parts: string[] = [];
  if (changes.displayName) parts.push(`name “${changes.displayName.from}” → “${changes.displayName.to}”`);
  if (changes.minDiskMib)
    parts.push(`min disk ${formatMib(changes.minDiskMib.from)} → ${formatMib(changes.minDiskMib.to)}`);
  if (changes.minRamMib)
    parts.push(`min RAM ${formatMib(changes.minRamMib.from)} → ${formatMib(changes.minRamMib.to)}`);
  if (changes.osGroup) parts.push(`OS group ${changes.osGroup.from ?? '—'} → ${changes.osGroup.to ?? '—'}`);
  if (changes.upstreamId)
    parts.push(`VMmanager id ${changes.upstreamId.from ?? '—'} → ${changes.upstreamId.to ?? '—'}`);
  if (changes.available) parts.push('available again');
  if (changes.clusterIds)
    parts.push(
      `clusters ${changes.clusterIds.from?.join(', ') || '—'} → ${changes.clusterIds.to?.join(', ') || '—'}`,
    );
  if (changes.virtualization)
    parts.push(`${changes.virtualization.from ?? '—'} → ${changes.virtualization.to ?? '—'}`);
  return parts.join(', ');
}

function Section({
  kind,
  title,
  children,
  count,
}: {
  kind: string;
  title: string;
  count: number;
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <div className={`diff-section diff-${kind}`} data-diff={kind}>
      <h4>
        {title} ({count})
      </h4>
      <ul>{children}</ul>
    </div>
  );
}

/** A sync diff: new, reconnected, updated and disconnected templates, renames, and the impact on tariffs. */
export function DiffView({ diff }: { diff: SyncPlan | null | undefined }) {
  if (!diff) return <p className="muted">No diff recorded (the run stopped before planning).</p>;
  const empty =
    diff.add.length +
      diff.connect.length +
      diff.update.length +
      diff.disconnect.length +
      diff.renameCandidates.length ===
    0;
  return (
    <div className="diff">
      {empty ? <p className="muted">No differences ({diff.unchanged} templates unchanged).</p> : null}
      <Section kind="added" title="New templates" count={diff.add.length}>
        {diff.add.map((a) => (
          <li key={a.internalName}>
            {a.displayName} <code>{a.internalName}</code>
            {a.minDiskMib !== null ? (
              <span className="muted small"> min disk {formatMib(a.minDiskMib)}</span>
            ) : null}
            {a.awaitingReview ? <span className="badge info">awaiting review</span> : null}
          </li>
        ))}
      </Section>
      <Section kind="connected" title="Back in VMmanager (reconnected)" count={diff.connect.length}>
        {diff.connect.map((c) => (
          <li key={c.internalName}>
            <code>{c.internalName}</code> <span className="muted small">{changesText(c.changes)}</span>
          </li>
        ))}
      </Section>
      <Section kind="updated" title="Changed in VMmanager" count={diff.update.length}>
        {diff.update.map((u) => (
          <li key={u.internalName}>
            <code>{u.internalName}</code>: {changesText(u.changes)}
          </li>
        ))}
      </Section>
      <Section kind="removed" title="Gone from VMmanager (disconnected)" count={diff.disconnect.length}>
        {diff.disconnect.map((d) => (
          <li key={d.internalName}>
            <code>{d.internalName}</code>
          </li>
        ))}
      </Section>
      <Section kind="renames" title="Possible renames" count={diff.renameCandidates.length}>
        {diff.renameCandidates.map((r) => (
          <li key={`${r.from.internalName}>${r.to.internalName}`}>
            <code>{r.from.internalName}</code> → <code>{r.to.internalName}</code>{' '}
            <span className="muted small">
              ({r.reason === 'case_change' ? 'case changed' : 'same VMmanager id'})
            </span>
          </li>
        ))}
      </Section>
      <Section
        kind="unavailable"
        title="Listed but not orderable now (kept connected)"
        count={diff.unavailable.length}
      >
        {diff.unavailable.map((u) => (
          <li key={u.internalName}>
            <code>{u.internalName}</code> <span className="muted small">— {u.reason}</span>
          </li>
        ))}
      </Section>
      <Skipped skipped={diff.skipped} />
      {diff.duplicates.length > 0 ? (
        <p className="muted small">Listed twice by VMmanager: {diff.duplicates.join(', ')}</p>
      ) : null}
      <Section kind="impact" title="Impact on tariff plans" count={diff.impact.length}>
        {diff.impact.map((t) => (
          <li key={t.tariffId}>
            <strong>{t.tariffName}</strong>:{' '}
            {t.gained > 0 ? <span className="mark-yes">+{t.gained} orderable</span> : null}{' '}
            {t.lost > 0 ? <span className="error-inline">−{t.lost} orderable</span> : null}
            {t.lostTemplates.length ? (
              <span className="muted small"> (loses {t.lostTemplates.join(', ')})</span>
            ) : null}
            {t.gainedTemplates.length ? (
              <span className="muted small"> (gains {t.gainedTemplates.join(', ')})</span>
            ) : null}
          </li>
        ))}
      </Section>
    </div>
  );
}

function skippedName(s: SyncPlan['skipped'][number]): ReactNode {
  if (s.internalName) return <code>{s.internalName}</code>;
  if (s.name) return <>“{s.name}”</>;
  return s.upstreamId !== null ? <>VMmanager item {s.upstreamId}</> : <>an item</>;
}

/** "3 templates skipped: …": items VMmanager listed that could not be used (their connections are kept). */
function Skipped({ skipped }: { skipped: SyncPlan['skipped'] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="diff-section diff-skipped" data-diff="skipped">
      <h4>
        {skipped.length} {skipped.length === 1 ? 'template' : 'templates'} skipped:{' '}
        <span className="muted small">VMmanager listed them, but they could not be used</span>
      </h4>
      <ul>
        {skipped.map((s, i) => (
          <li key={i}>
            {skippedName(s)} <span className="muted small">— {s.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
