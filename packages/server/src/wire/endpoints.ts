import { Type } from '@sinclair/typebox';
import { DELIVERY_STATUSES } from './vocabulary.js';
import { Nullable } from './common.js';

/** What the API shows of an endpoint. Secrets appear only in create/rotate responses. */
export const Endpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  headers: Type.Record(Type.String(), Type.String()),
  timeout_seconds: Type.Number(),
  retry_schedule: Nullable(Type.Array(Type.Number())),
  signing_scheme: Type.String(),
  rate_limit: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String()),
  disabled_at: Nullable(Type.String()),
  consecutive_failures: Type.Integer(),
  secret_rotation_ends_at: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const EndpointWithSecret = Type.Intersect([
  Endpoint,
  Type.Object({ secret: Type.String({ description: 'The signing secret. Shown only in this response.' }) }),
]);

export const SaveWarning = Type.Object({
  code: Type.String({ description: '`unknown_event_type`: neither a built-in type nor one ever published (saved anyway).' }),
  field: Type.String({ description: 'The request field, e.g. `events[1]`.' }),
  message: Type.String({ description: 'What is wrong, with a "did you mean" when a known type is close.' }),
});
/** Advice about a saved endpoint (an event type nothing publishes yet); the key is absent when there is none. */
const SaveWarnings = Type.Object({
  warnings: Type.Optional(Type.Array(SaveWarning, { description: 'Present only when there is advice; the endpoint was saved as given.' })),
});
export const EndpointCreated = Type.Intersect([EndpointWithSecret, SaveWarnings]);
export const EndpointUpdated = Type.Intersect([Endpoint, SaveWarnings]);

/** An event as endpoints receive it. */
export const Envelope = Type.Object({
  id: Type.String(),
  type: Type.String(),
  timestamp: Type.String(),
  org_id: Type.String(),
  env_id: Type.String(),
  data: Type.Unknown(),
});

export const Published = Type.Object({
  event: Envelope,
  duplicate: Type.Boolean(),
  deliveries: Type.Integer({ description: 'Deliveries enqueued (0 for a duplicate).' }),
});

export const Delivery = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  endpoint_id: Type.String(),
  status: Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s))),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String()),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  delivered_at: Nullable(Type.String()),
});

export const Attempt = Type.Object({
  attempt: Type.Integer(),
  started_at: Type.String(),
  duration_ms: Type.Integer(),
  request: Type.Object({ method: Type.String(), url: Type.String() }),
  status_code: Nullable(Type.Integer()),
  response_body: Type.String({ description: 'First 4 KB of the response body.' }),
  error: Nullable(Type.Object({ code: Type.String(), message: Nullable(Type.String()) })),
});

export const DeliveryDetail = Type.Intersect([Delivery, Type.Object({ event: Envelope, history: Type.Array(Attempt) })]);
