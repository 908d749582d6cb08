import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';

/** A new customer-portal link (docs/portal.md). */
export const PortalSessionCreated = Type.Object({
  url: Type.String({ description: 'The portal page with the token in its fragment (`#token=…`): open it, or put it in an iframe.' }),
  token: Type.String({ description: 'The portal token itself (hl_ps_…), a bearer credential for the portal routes only.' }),
  expires_at: Type.String(),
});

/** What the portal page shows about the session it was opened with. */
export const PortalContext = Type.Object({
  org: Type.Object({ id: Type.String(), name: Type.String() }),
  env: Type.Object({ id: Type.String(), name: Type.String() }),
  brand: Type.Object({ color: Nullable(Type.String()), logo_url: Nullable(Type.String()) }),
  event_types: Nullable(Type.Array(Type.String(), { description: 'The event-type patterns endpoints may subscribe to; null: any.' })),
  read_only: Type.Boolean(),
  expires_at: Nullable(Type.String({ description: 'When the portal link stops working; null when asked with an API key.' })),
});

/** One event type an endpoint can subscribe to, with what it means and what its body looks like. */
export const EventTypeEntry = Type.Object({
  type: Type.String(),
  description: Type.String(),
  builtin: Type.Boolean({ description: 'Emitted by Hookline itself rather than published through the API.' }),
  example: Type.Object({}, { additionalProperties: true, description: 'An example envelope as endpoints receive it.' }),
});
