import { Type } from '@sinclair/typebox';

/** An org's own settings; an absent field takes the installation's value. The request body and the answer share it. */
export const OrgSettings = Type.Object(
  {
    retention: Type.Optional(
      Type.Object(
        {
          events: Type.Optional(Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)$', description: 'Events older than this are deleted (`30d`).' })),
          attempts: Type.Optional(Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)$', description: 'Attempt records older than this are deleted.' })),
        },
        { additionalProperties: false },
      ),
    ),
    quotas: Type.Optional(
      Type.Object(
        {
          events_per_second: Type.Optional(Type.Integer({ minimum: 1, description: 'Events each environment may publish per second.' })),
          endpoints: Type.Optional(Type.Integer({ minimum: 0, description: 'Endpoints each environment may hold.' })),
          agents: Type.Optional(Type.Integer({ minimum: 0, description: 'Agents each environment may hold.' })),
          stored_bytes: Type.Optional(Type.Integer({ minimum: 0, description: 'Bytes of event payloads each environment may hold.' })),
        },
        { additionalProperties: false },
      ),
    ),
    portal_origins: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://[^/\\s*]+$', description: 'An origin (`https://app.example.com`) allowed to frame the portal.' }), {
        maxItems: 50,
      }),
    ),
    brand: Type.Optional(
      Type.Object(
        {
          color: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: "The portal's accent colour (`#1f6feb`)." })),
          logo_url: Type.Optional(Type.String({ pattern: '^https://[^\\s"\'<>]+$', maxLength: 2000, description: "An https URL of the portal's logo." })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Org = Type.Object({
  id: Type.String(),
  name: Type.String(),
  default: Type.Boolean({ description: "The installation's default org: what a request that names no tenant addresses." }),
  settings: OrgSettings,
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const Env = Type.Object({
  id: Type.String(),
  org_id: Type.String(),
  name: Type.String(),
  default: Type.Boolean({ description: "The org's default environment: what an org key that names none addresses." }),
  created_at: Type.String(),
});
