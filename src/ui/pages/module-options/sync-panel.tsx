import { useEffect, useState } from 'react';
import { ErrorText, useAction } from '../../components';
import type { ConnectionTest, Module, SyncRun } from '../../types';
import { ConnectionResult } from '../module-add';
import { RunResult } from './run-result';
import { testModuleConnection } from '../../api/modules';
import { runSync } from '../../api/sync';

/** Synchronize now / Dry run / Test connection with a progress indicator and the result. */
export function SyncPanel({ module, onDone }: { module: Module; onDone: () => void }) {
  const action = useAction();
  const [running, setRunning] = useState<string | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [run, setRun] = useState<SyncRun | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  // How many actions were started here: with aria-busy, a reader (or a test) tells the result of
  // its own press from one still on screen (a no-change run may answer an earlier run's id).
  const [started, setStarted] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const timer = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const start = async (kind: 'sync' | 'dry-run' | 'test') => {
    setStarted((n) => n + 1);
    setRun(null);
    setTest(null);
    setRunning(
      kind === 'sync' ? 'Synchronizing…' : kind === 'dry-run' ? 'Dry run…' : 'Testing the connection…',
    );
    if (kind === 'test') {
      const result = await action.run(() => testModuleConnection(module.id));
      if (result) setTest(result);
    } else {
      const result = await action.run(() => runSync(module.id, kind));
      if (result) setRun(result);
      onDone();
    }
    setRunning(null);
  };

  return (
    <section
      className="card"
      aria-label="Synchronization"
      aria-busy={running !== null}
      data-started={started}
    >
      <h2>Synchronization</h2>
      <p className="muted">
        Scheduled: <code>{module.schedule}</code>. Dry run shows what a sync would change without changing
        anything.
      </p>
      <div className="buttons">
        <button type="button" className="primary" disabled={action.busy} onClick={() => void start('sync')}>
          ⟳ Synchronize now
        </button>
        <button type="button" disabled={action.busy} onClick={() => void start('dry-run')}>
          ◌ Dry run
        </button>
        <button type="button" disabled={action.busy} onClick={() => void start('test')}>
          ⚡ Test connection
        </button>
        {running ? (
          <span className="progress" role="progressbar" aria-label={running}>
            <span className="progress-bar" /> {running} {seconds > 0 ? `${seconds} s` : ''}
          </span>
        ) : null}
      </div>
      <ErrorText error={action.error} />
      {test ? <ConnectionResult result={test} /> : null}
      {run ? <RunResult run={run} /> : null}
    </section>
  );
}
