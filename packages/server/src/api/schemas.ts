import { type TSchema, Type } from '@sinclair/typebox';
import { SIGNING_SCHEMES } from '../crypto/index.js';

export const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) });

export const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'Page size.' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'Rows to skip.' }),
};

/** For the list routes that take no parameters: an unknown one is a 422, as on the paginated ones. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

export const Paginated = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/**
 * `t` or null. Null comes first: with Ajv's type coercion on, a string branch tried first
 * would turn a JSON null into "" and never reach the null branch.
 */
export const Nullable = <T extends TSchema>(t: T, o: { description?: string } = {}) => Type.Union([Type.Null(), t], o);

const Scheme = Type.Union(SIGNING_SCHEMES.map((s) => Type.Literal(s)), { description: 'How deliveries are signed. `standard` = Standard Webhooks (webhook-id/-timestamp/-signature).' });

const endpointFields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where events are POSTed (http or https).' }),
  events: Type.Array(Type.String({ minLength: 1, maxLength: 140 }), { minItems: 1, maxItems: 100, description: 'Event types to receive: exact ("run.completed"), prefix wildcard ("run.*") or "*".' }),
  description: Type.String({ maxLength: 1000 }),
  headers: Type.Record(Type.String(), Type.String({ maxLength: 4096 }), { maxProperties: 50, description: 'Extra request headers: a free-form map of any header names to values (stored encrypted; values are never shown again).' }),
  // No schema `default` here: Ajv's useDefaults would inject it into PATCH bodies and reset the field.
  timeout_seconds: Type.Integer({ minimum: 1, maximum: 300, description: 'Request timeout, 1–300 s (default 30).' }),
  retry_schedule: Nullable(Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String()]), { maxItems: 20, description: 'Delays before each retry, as seconds or durations ("30s", "2m"). null = the server default (30s, 2m, 10m, 1h, 4h).' })),
  signing_scheme: Scheme,
  rate_limit: Nullable(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Most deliveries per second to this endpoint (per worker process).' })),
  enabled: Type.Boolean(),
};

export const EndpointCreate = Type.Object(
  {
    url: endpointFields.url,
    events: endpointFields.events,
    description: Type.Optional(endpointFields.description),
    headers: Type.Optional(endpointFields.headers),
    timeout_seconds: Type.Optional(endpointFields.timeout_seconds),
    retry_schedule: Type.Optional(endpointFields.retry_schedule),
    signing_scheme: Type.Optional(endpointFields.signing_scheme),
    rate_limit: Type.Optional(endpointFields.rate_limit),
    enabled: Type.Optional(endpointFields.enabled),
  },
  { additionalProperties: false },
);

// Type.Partial drops object options, so the update schema is spelled out from the same fields.
export const EndpointUpdate = Type.Object(Type.Partial(EndpointCreate).properties, { additionalProperties: false, minProperties: 1 });

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

export const EndpointWithSecret = Type.Intersect([Endpoint, Type.Object({ secret: Type.String({ description: 'The signing secret. Shown only in this response.' }) })]);

/** Advice about a saved endpoint (an event type nothing publishes yet); the key is absent when there is none. */
const SaveWarnings = Type.Object({
  warnings: Type.Optional(Type.Array(Type.Object({
    code: Type.String({ description: '`unknown_event_type`: neither a built-in type nor one ever published (saved anyway).' }),
    field: Type.String({ description: 'The request field, e.g. `events[1]`.' }),
    message: Type.String({ description: 'What is wrong, with a "did you mean" when a known type is close.' }),
  }), { description: 'Present only when there is advice; the endpoint was saved as given.' })),
});
export const EndpointCreated = Type.Intersect([EndpointWithSecret, SaveWarnings]);
export const EndpointUpdated = Type.Intersect([Endpoint, SaveWarnings]);

export const EventPublish = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 128, description: 'Event type, e.g. "invoice.paid". run.*, endpoint.* and webhook.* are reserved.' }),
    data: Type.Optional(Type.Unknown({ description: 'Event payload, delivered as `data`: free-form, any JSON.' })),
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Your id for deduplication: the same id publishes once.' })),
  },
  { additionalProperties: false },
);

export const Envelope = Type.Object({ id: Type.String(), type: Type.String(), timestamp: Type.String(), org_id: Type.String(), env_id: Type.String(), data: Type.Unknown() });

export const Delivery = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  endpoint_id: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
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
