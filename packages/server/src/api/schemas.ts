import { Type } from '@sinclair/typebox';
import { SIGNING_SCHEMES } from '../crypto/index.js';
import { Nullable } from '../wire/index.js';

// Request schemas live here; what the routes answer with is in wire/, shared with the modules that build it.
export { ErrorBody, Nullable, Paginated } from '../wire/index.js';

export const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'Page size.' }),
  offset: Type.Integer({ minimum: 0, default: 0, description: 'Rows to skip.' }),
};

/** For the list routes that take no parameters: an unknown one is a 422, as on the paginated ones. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

const Scheme = Type.Union(
  SIGNING_SCHEMES.map((s) => Type.Literal(s)),
  { description: 'How deliveries are signed. `standard` = Standard Webhooks (webhook-id/-timestamp/-signature).' },
);

const endpointFields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where events are POSTed (http or https).' }),
  events: Type.Array(Type.String({ minLength: 1, maxLength: 140 }), {
    minItems: 1,
    maxItems: 100,
    description: 'Event types to receive: exact ("run.completed"), prefix wildcard ("run.*") or "*".',
  }),
  description: Type.String({ maxLength: 1000 }),
  headers: Type.Record(Type.String(), Type.String({ maxLength: 4096 }), {
    maxProperties: 50,
    description: 'Extra request headers: a free-form map of any header names to values (stored encrypted; values are never shown again).',
  }),
  // No schema `default` here: Ajv's useDefaults would inject it into PATCH bodies and reset the field.
  timeout_seconds: Type.Integer({ minimum: 1, maximum: 300, description: 'Request timeout, 1–300 s (default 30).' }),
  retry_schedule: Nullable(
    Type.Array(Type.Union([Type.Integer({ minimum: 1 }), Type.String()]), {
      maxItems: 20,
      description: 'Delays before each retry, as seconds or durations ("30s", "2m"). null = the server default (30s, 2m, 10m, 1h, 4h).',
    }),
  ),
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

export const EventPublish = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 128, description: 'Event type, e.g. "invoice.paid". run.*, endpoint.* and webhook.* are reserved.' }),
    data: Type.Optional(Type.Unknown({ description: 'Event payload, delivered as `data`: free-form, any JSON.' })),
    id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Your id for deduplication: the same id publishes once.' }),
    ),
  },
  { additionalProperties: false },
);
