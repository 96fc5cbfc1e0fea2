import { Type, type Static } from 'typebox';
import { DateTime, Id, NullableDateTime, NullableInt, NullableString } from '../shared/primitives.schema.js';

/** The events a storefront endpoint can receive. */
export const webhookEventTypes = [
  'tariff.list_changed',
  'template.deprecated',
  'template.eol_reached',
  'module.sync_failed',
  'module.sync_held',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const WebhookEventType = Type.Unsafe<WebhookEventType>({
  type: 'string',
  enum: [...webhookEventTypes],
});

export const WebhookUrl = Type.String({
  minLength: 8,
  maxLength: 2000,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
});
const Events = Type.Array(WebhookEventType, {
  minItems: 1,
  maxItems: webhookEventTypes.length,
  uniqueItems: true,
});
const Description = Type.String({ maxLength: 500 });

/** Input of "register a webhook endpoint". */
export const WebhookEndpointCreate = Type.Object(
  {
    url: WebhookUrl,
    events: Events,
    enabled: Type.Optional(Type.Boolean()),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export type WebhookEndpointCreate = Static<typeof WebhookEndpointCreate>;

/** Input of "change a webhook endpoint" (the secret changes only by rotation). */
export const WebhookEndpointUpdate = Type.Object(
  {
    url: Type.Optional(WebhookUrl),
    events: Type.Optional(Events),
    enabled: Type.Optional(Type.Boolean()),
    description: Type.Optional(Description),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type WebhookEndpointUpdate = Static<typeof WebhookEndpointUpdate>;

/** A webhook endpoint as the API shows it: never its secret. */
export const WebhookEndpoint = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(WebhookEventType),
  enabled: Type.Boolean(),
  secretRotatedAt: DateTime,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;

/** The answer of create and rotate: the endpoint and its signing secret, shown this once. */
export const WebhookEndpointWithSecret = Type.Object({
  endpoint: WebhookEndpoint,
  secret: Type.String({ description: 'The signing secret (whsec_…): shown only in this answer' }),
});
export type WebhookEndpointWithSecret = Static<typeof WebhookEndpointWithSecret>;

export const deliveryStates = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** One line of an endpoint's delivery log. */
export const WebhookDelivery = Type.Object({
  id: Type.Integer(),
  endpointId: Type.Integer(),
  eventId: Type.String(),
  eventType: WebhookEventType,
  createdAt: DateTime,
  state: Type.Unsafe<DeliveryState>({ type: 'string', enum: [...deliveryStates] }),
  attempts: Type.Integer(),
  lastAttemptAt: NullableDateTime,
  lastStatusCode: NullableInt,
  lastError: NullableString,
  nextAttemptAt: NullableDateTime,
  deliveredAt: NullableDateTime,
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    state: Type.Optional(Type.Unsafe<DeliveryState>({ type: 'string', enum: [...deliveryStates] })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const DeliveryParams = Type.Object({ id: Id, deliveryId: Id }, { additionalProperties: false });
