import { useState } from 'react';
import { ErrorText, formatTime, Page, Spinner, Toggle, useAction, useLoad } from '../components';
import { Link } from '../router';
import type { WebhookDelivery } from '../types';
import { getWebhook, listDeliveries, redeliver, rotateWebhookSecret, updateWebhook } from '../api/webhooks';
import { SecretOnce } from './webhooks/secret-once';
import { DeleteEndpoint } from './webhooks/delete-endpoint';

const STATE_CLASS: Record<WebhookDelivery['state'], string> = {
  delivered: 'badge good',
  pending: 'badge',
  failed: 'badge bad',
};

/** An endpoint's delivery log, newest first, each line with Redeliver. */
function DeliveryLog({ endpointId }: { endpointId: number }) {
  const log = useLoad(() => listDeliveries(endpointId), [endpointId]);
  const action = useAction();
  const send = async (delivery: WebhookDelivery) => {
    await action.run(() => redeliver(endpointId, delivery.id));
    log.reload();
  };
  return (
    <section className="card" aria-label="Delivery log">
      <div className="page-head">
        <h2>Delivery log</h2>
        <button type="button" onClick={log.reload} disabled={log.loading}>
          ↻ Refresh
        </button>
      </div>
      <ErrorText error={log.error} />
      <ErrorText error={action.error} />
      {!log.data ? (
        log.error ? null : (
          <Spinner label="Loading deliveries…" />
        )
      ) : log.data.items.length === 0 ? (
        <p className="muted">Nothing sent yet: a delivery appears here when a subscribed event happens.</p>
      ) : (
        <div className="table-wrap">
          <table className="grid" aria-label="Deliveries">
            <thead>
              <tr>
                <th>Queued</th>
                <th>Event</th>
                <th>State</th>
                <th>Status code</th>
                <th>Attempts</th>
                <th>Last attempt</th>
                <th>Last error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((d) => (
                <tr key={d.id} data-delivery-id={d.id} data-state={d.state} data-attempts={d.attempts}>
                  <td className="nowrap">{formatTime(d.createdAt)}</td>
                  <td>
                    <code>{d.eventType}</code>
                    <div className="muted small">{d.eventId}</div>
                  </td>
                  <td>
                    <span className={STATE_CLASS[d.state]}>{d.state}</span>
                    {d.nextAttemptAt ? (
                      <div className="muted small">next {formatTime(d.nextAttemptAt)}</div>
                    ) : null}
                  </td>
                  <td className="num">{d.lastStatusCode ?? '—'}</td>
                  <td className="num">{d.attempts}</td>
                  <td className="nowrap">{formatTime(d.lastAttemptAt)}</td>
                  <td className="wrap">{d.lastError ?? ''}</td>
                  <td>
                    <button type="button" onClick={() => void send(d)} disabled={action.busy}>
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Integrations → Webhooks → one endpoint: enable or disable it, rotate its secret, delete it, its deliveries. */
export function WebhookEndpointPage({ endpointId }: { endpointId: number }) {
  const endpoint = useLoad(() => getWebhook(endpointId), [endpointId]);
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const setEnabled = async (enabled: boolean) => {
    const updated = await action.run(() => updateWebhook(endpointId, { enabled }));
    if (updated) endpoint.setData(updated);
  };
  const rotate = async () => {
    setConfirming(false);
    const rotated = await action.run(() => rotateWebhookSecret(endpointId));
    if (!rotated) return;
    endpoint.setData(rotated.endpoint);
    setSecret(rotated.secret);
  };
  const w = endpoint.data;
  return (
    <Page
      title={w ? `Webhook ${w.url}` : 'Webhook'}
      crumbs={
        <>
          <span>Integrations</span> / <Link href="/integrations/webhooks">Webhooks</Link>
        </>
      }
    >
      <ErrorText error={endpoint.error} />
      <ErrorText error={action.error} />
      {secret ? <SecretOnce secret={secret} onDone={() => setSecret(null)} /> : null}
      {!w ? (
        endpoint.error ? null : (
          <Spinner label="Loading endpoint…" />
        )
      ) : (
        <section className="card" aria-label="Endpoint">
          <p>
            <code>{w.url}</code> {w.description ? <span className="muted">— {w.description}</span> : null}
          </p>
          <p>
            Events: <code>{w.events.join(', ')}</code>
          </p>
          <div className="field-row">
            <span>Enabled (a disabled endpoint gets no new deliveries)</span>
            <Toggle
              checked={w.enabled}
              label="Endpoint enabled"
              disabled={action.busy}
              onChange={(on) => void setEnabled(on)}
            />
          </div>
          <p className="muted small">Secret in use since {formatTime(w.secretRotatedAt)}.</p>
          {confirming ? (
            <div className="buttons">
              <span>The old secret stops working at once.</span>
              <button type="button" className="primary" onClick={() => void rotate()} disabled={action.busy}>
                Rotate now
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} disabled={action.busy}>
              ⟳ Rotate secret
            </button>
          )}
          <DeleteEndpoint endpointId={endpointId} url={w.url} />
        </section>
      )}
      <DeliveryLog endpointId={endpointId} />
    </Page>
  );
}
