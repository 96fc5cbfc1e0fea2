import { createHmac } from 'node:crypto';

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const signatureHeader = 'x-oscatalog-signature';
/** The event's id: the same on every retry and redelivery, for receivers to de-duplicate on. */
export const eventIdHeader = 'x-oscatalog-event-id';
export const eventTypeHeader = 'x-oscatalog-event';

/** Signs `body` as sent at `at` with the endpoint's secret (the whole `whsec_…` string is the key). */
export function signWebhookBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
