import type { Logger } from '../shared/logger.js';
import type { SyncRunResult } from './sync.schema.js';

/** The small JSON document POSTed to the webhooks on a failed or held run. */
export interface SyncAlert {
  event: 'sync.failed' | 'sync.held';
  runId: number;
  moduleId: number;
  moduleName: string;
  trigger: string;
  outcome: string;
  guardReason: string | null;
  message: string;
  error: { code: string; message: string } | null;
  counts: SyncRunResult['counts'];
  startedAt: string;
  finishedAt: string | null;
}

export interface AlertSenderOptions {
  logger: Logger;
  fetch?: typeof fetch;
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

/** Sends alerts in the background; `flush()` waits for every send started so far (tests, shutdown). */
export interface AlertSender {
  send(urls: string[], alert: SyncAlert): void;
  flush(): Promise<void>;
}

export function alertOf(run: SyncRunResult, moduleName: string): SyncAlert | null {
  if (run.outcome !== 'failed' && run.outcome !== 'held') return null;
  const message =
    run.outcome === 'held'
      ? `sync of module "${moduleName}" is held: ${run.guardMessage ?? run.guardReason ?? 'guard'}`
      : `sync of module "${moduleName}" failed: ${run.error?.message ?? 'unknown error'}`;
  return {
    event: run.outcome === 'held' ? 'sync.held' : 'sync.failed',
    runId: run.runId,
    moduleId: run.moduleId,
    moduleName,
    trigger: run.trigger,
    outcome: run.outcome,
    guardReason: run.guardReason,
    message,
    error: run.error,
    counts: run.counts,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * A fire-and-forget webhook sender: a few attempts with a short backoff and a per-attempt
 * timeout; a dead webhook is logged, never thrown, and never delays the sync's result.
 */
export function createAlertSender(options: AlertSenderOptions): AlertSender {
  const send = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pending = new Set<Promise<void>>();

  const postOnce = async (url: string, body: string): Promise<void> => {
    const answer = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await answer.body?.cancel().catch(() => undefined);
    if (!answer.ok) throw new Error(`webhook answered ${answer.status}`);
  };

  const deliver = async (url: string, alert: SyncAlert): Promise<void> => {
    const body = JSON.stringify(alert);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        await postOnce(url, body);
        return;
      } catch (error) {
        if (attempt === attempts) {
          options.logger.warn(
            { webhook: redactUrl(url), runId: alert.runId, reason: (error as Error).message },
            'sync alert could not be delivered',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  };

  return {
    send(urls, alert) {
      for (const url of new Set(urls)) {
        const delivery = deliver(url, alert).finally(() => pending.delete(delivery));
        pending.add(delivery);
      }
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

// A webhook URL may carry a secret in its path or query (Slack-style): log only its origin.
function redactUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid url';
  }
}
