import type { Logger } from '../shared/logger.js';
import type { OutboundAllowList } from '../shared/outbound.js';
import { createOutboundPoster, type PostOutcome } from '../shared/outbound-post.js';
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
  allow?: OutboundAllowList | undefined;
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

/** Sends alerts in the background; `flush()` waits for every send started so far (tests, shutdown). */
export interface AlertSender {
  send(urls: string[], alert: SyncAlert): void;
  flush(): Promise<void>;
  close(): Promise<void>;
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
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const poster = createOutboundPoster({ allow: options.allow, timeoutMs: options.timeoutMs ?? 5_000 });
  const pending = new Set<Promise<void>>();

  const deliver = async (url: string, alert: SyncAlert): Promise<void> => {
    const body = JSON.stringify(alert);
    let outcome: PostOutcome | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 2)));
      outcome = await poster.post(url, body);
      if (outcome.ok || !isWorthRetrying(outcome)) break;
    }
    if (outcome && !outcome.ok) {
      // The poster's outcome names the origin only: the path or query may hold a secret.
      options.logger.warn(
        { webhook: outcome.origin, runId: alert.runId, reason: outcome.message },
        'sync alert could not be delivered',
      );
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
    async close() {
      await this.flush();
      await poster.close();
    },
  };
}

// A redirect, a refusal by the allow-list or a bad URL answers the same way next time.
const isWorthRetrying = (outcome: Extract<PostOutcome, { ok: false }>): boolean =>
  outcome.reason === 'timeout' ||
  outcome.reason === 'network' ||
  (outcome.reason === 'status' && (outcome.status ?? 500) >= 500);
