import { useState } from 'react';
import { ErrorText, formatTime, Spinner, useLoad } from '../../components';
import type { SyncRun } from '../../types';
import { OutcomeBadge } from '../diff';
import { RunResult } from './run-result';
import { getSyncRun } from '../../api/sync';

/** Sync history: every run with its outcome; open one to see its diff. */
export function History({ runs, error }: { runs: SyncRun[]; error: unknown }) {
  const [openId, setOpenId] = useState<number | null>(null);
  const detail = useLoad(async () => (openId === null ? null : getSyncRun(openId)), [openId]);
  return (
    <section className="card" aria-label="Sync history">
      <h2>Sync history</h2>
      <ErrorText error={error} />
      {runs.length === 0 ? <p className="muted">No sync has run yet.</p> : null}
      {runs.length > 0 ? (
        <table className="grid">
          <thead>
            <tr>
              <th>Run</th>
              <th>Started</th>
              <th>Trigger</th>
              <th>By</th>
              <th>Outcome</th>
              <th>Diff</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-run-id={r.runId} data-run-count={r.runCount}>
                <td className="num">#{r.runId}</td>
                <td className="nowrap">
                  {formatTime(r.startedAt)}
                  {r.runCount > 1 ? <> – {formatTime(r.lastFinishedAt)}</> : null}
                </td>
                <td>{r.trigger}</td>
                <td>{r.actor ?? ''}</td>
                <td>
                  <OutcomeBadge run={r} />
                  {r.runCount > 1 ? (
                    <span
                      className="muted"
                      title={`${r.runCount} runs recorded the same, folded into one entry`}
                    >
                      {' '}
                      ×{r.runCount}
                    </span>
                  ) : null}
                  {r.error ? <div className="error small">{r.error.message}</div> : null}
                </td>
                <td>
                  <button type="button" onClick={() => setOpenId(openId === r.runId ? null : r.runId)}>
                    {openId === r.runId ? 'Hide' : 'Show'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {openId !== null ? (
        <div className="run-detail" aria-label={`Diff of run ${openId}`}>
          <h3>Run #{openId}</h3>
          <ErrorText error={detail.error} />
          {detail.data ? <RunResult run={detail.data} /> : <Spinner label="Loading the diff…" />}
        </div>
      ) : null}
    </section>
  );
}
