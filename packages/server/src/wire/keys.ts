import { Type } from '@sinclair/typebox';
import { Nullable, OneOf } from './common.js';
import { KEY_ROLES } from './vocabulary.js';

export const Key = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  role: OneOf(KEY_ROLES),
  org_id: Nullable(Type.String({ description: 'The org the key is limited to; null for an installation key.' })),
  env_id: Nullable(Type.String({ description: 'The environment the key is limited to; null for an installation or org key.' })),
  created_at: Type.String(),
  revoked_at: Nullable(Type.String()),
  last_used_at: Nullable(Type.String()),
});
export const KeyWithSecret = Type.Intersect([Key, Type.Object({ key: Type.String({ description: 'The API key itself, shown only here.' }) })]);

/** The dashboard's session. */
export const Session = Type.Object({
  key: Type.Object({
    id: Type.String(),
    name: Type.String(),
    role: OneOf(KEY_ROLES),
    org_id: Nullable(Type.String({ description: 'The org the key is limited to; null for an installation key (which may pick any tenant).' })),
    env_id: Nullable(Type.String({ description: 'The environment the key is limited to; null for an installation or org key.' })),
  }),
  csrf_token: Nullable(Type.String({ description: 'Send it as X-CSRF-Token on every request that changes something.' })),
  expires_at: Nullable(Type.String()),
});
