import { Type } from '@sinclair/typebox';
import { SIGNING_SCHEMES } from '../crypto/index.js';
import { Nullable, OneOf } from './common.js';

/** How a bin checks signatures: one scheme, or `auto` (picked per request from its headers). */
export const BIN_SCHEMES = Object.freeze(['auto', ...SIGNING_SCHEMES] as const);
const BinScheme = OneOf(BIN_SCHEMES);

export const Bin = Type.Object({
  name: Type.String(),
  url: Type.String({ description: 'The capture URL, on the origin this request used.' }),
  scheme: BinScheme,
  has_secret: Type.Boolean(),
  request_count: Type.Integer(),
  last_request_at: Nullable(Type.String()),
  created_at: Type.String(),
});

/** The verdict stored with a captured request. */
export const SignatureCheck = Type.Object({
  scheme: Type.Union([BinScheme], { description: 'The scheme checked; `auto` only when no signature header was found to pick one.' }),
  valid: Type.Boolean(),
  reason: Type.String({ description: 'What is right or wrong, in words a user acts on.' }),
});

export const CapturedRequest = Type.Object({
  id: Type.String(),
  bin: Type.String(),
  method: Type.String(),
  path: Type.String({ description: 'Path with sub-path and query string, as received.' }),
  query: Type.Record(Type.String(), Type.String()),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Lower-case names, as received; repeated headers joined with ", ".' }),
  body: Type.String({ description: 'The stored body as UTF-8 text (bytes that are not UTF-8 are replaced).' }),
  body_base64: Nullable(Type.String({ description: 'The stored body as base64, only when it is not valid UTF-8.' })),
  body_truncated: Type.Boolean({ description: 'True when the body was longer than inspector.max_body_bytes and is stored cut.' }),
  size_bytes: Type.Integer({ description: 'Size of the whole body as received.' }),
  content_type: Nullable(Type.String()),
  remote_address: Type.String(),
  received_at: Type.String(),
  signature: Nullable(SignatureCheck, {
    description: "The signature check made at capture time with the bin's secret; null when there was no secret and no signature header.",
  }),
});
