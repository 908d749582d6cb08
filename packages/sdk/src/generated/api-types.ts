// Generated from Hookline's OpenAPI document by packages/sdk/scripts/generate-types.mjs. Do not edit.
// Regenerate after changing a route's schema: npm run generate -w packages/sdk

export interface CommandRunnerView {
  command: string;
  args: string[];
  cwd: null | string;
  /** Extra environment: names, values shown as ********. */
  env: Record<string, string>;
}

export interface HttpRunnerView {
  url: string;
  /** Extra request headers: names, values shown as ********. */
  headers: Record<string, string>;
}

export interface OpenaiRunnerView {
  base_url: string;
  model: null | string;
  api_key: null | string;
  system_prompt: null | string;
  temperature: null | number;
  max_tokens: null | number;
}

export interface CommandAgent {
  /** Lower-case letters, digits, - and _. */
  id?: string;
  crew_id: string;
  name: string;
  description?: string;
  runner: "command";
  runner_config: CommandRunnerSettings;
  /** Instructions put before every trigger payload. */
  prompt_template?: string;
  /** Seconds a run may take before it ends as `timeout`. Default: the server's `agents.default_timeout_seconds` (600, 10 minutes). */
  timeout_seconds?: number;
  /** More runs wait in the queue (default 1). */
  max_concurrent_runs?: number;
  /** Model label; the `openai` runner sends it when its settings name no model. */
  model?: null | string;
  /** Inbound triggers accepted per minute; more get 429. */
  rate_limit_per_minute?: null | number;
  /** Per-agent notification rules: `{on_complete|on_error|on_timeout: [{channel: slack|webhook, target}]}`. They replace the configured defaults for this agent; null restores the defaults. */
  notifications?: null | NotificationRules;
}

export interface CommandRunnerSettings {
  /** Program to run (no shell). The prompt arrives on stdin; stdout is the output. */
  command: string;
  args?: string[];
  cwd?: string;
  /** Extra environment: a free-form map of any names (stored encrypted; values are never shown again). */
  env?: Record<string, string>;
}

export interface NotificationRules {
  /** An empty list (or null) announces this event nowhere. */
  on_complete?: NotificationRule[] | null;
  /** An empty list (or null) announces this event nowhere. */
  on_error?: NotificationRule[] | null;
  /** An empty list (or null) announces this event nowhere. */
  on_timeout?: NotificationRule[] | null;
}

export interface NotificationRule {
  /** `slack` or `webhook`. */
  channel: string;
  /** slack: a channel (`#alerts`, `alerts`, `C0123ABCD`) or an incoming-webhook URL; webhook: the name of a webhook under notifications.webhooks in the config. */
  target: string;
}

export interface HttpAgent {
  /** Lower-case letters, digits, - and _. */
  id?: string;
  crew_id: string;
  name: string;
  description?: string;
  runner: "http";
  runner_config: HttpRunnerSettings;
  /** Instructions put before every trigger payload. */
  prompt_template?: string;
  /** Seconds a run may take before it ends as `timeout`. Default: the server's `agents.default_timeout_seconds` (600, 10 minutes). */
  timeout_seconds?: number;
  /** More runs wait in the queue (default 1). */
  max_concurrent_runs?: number;
  /** Model label; the `openai` runner sends it when its settings name no model. */
  model?: null | string;
  /** Inbound triggers accepted per minute; more get 429. */
  rate_limit_per_minute?: null | number;
  /** Per-agent notification rules: `{on_complete|on_error|on_timeout: [{channel: slack|webhook, target}]}`. They replace the configured defaults for this agent; null restores the defaults. */
  notifications?: null | NotificationRules;
}

export interface HttpRunnerSettings {
  /** Where the run context is POSTed as JSON; the response is the output. Redirects are not followed. */
  url: string;
  /** Extra request headers, e.g. Authorization: a free-form map of any names (stored encrypted; values are never shown again). */
  headers?: Record<string, string>;
}

export interface OpenaiAgent {
  /** Lower-case letters, digits, - and _. */
  id?: string;
  crew_id: string;
  name: string;
  description?: string;
  runner: "openai";
  runner_config: OpenaiRunnerSettings;
  /** Instructions put before every trigger payload. */
  prompt_template?: string;
  /** Seconds a run may take before it ends as `timeout`. Default: the server's `agents.default_timeout_seconds` (600, 10 minutes). */
  timeout_seconds?: number;
  /** More runs wait in the queue (default 1). */
  max_concurrent_runs?: number;
  /** Model label; the `openai` runner sends it when its settings name no model. */
  model?: null | string;
  /** Inbound triggers accepted per minute; more get 429. */
  rate_limit_per_minute?: null | number;
  /** Per-agent notification rules: `{on_complete|on_error|on_timeout: [{channel: slack|webhook, target}]}`. They replace the configured defaults for this agent; null restores the defaults. */
  notifications?: null | NotificationRules;
}

export interface OpenaiRunnerSettings {
  /** An OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1 (Ollama); /chat/completions is appended. */
  base_url: string;
  /** Model name sent to the API; default: the agent's `model`. */
  model?: string;
  /** Sent as `Authorization: Bearer …` (stored encrypted; never shown again). */
  api_key?: string;
  system_prompt?: string;
  temperature?: number;
  max_tokens?: number;
}

/** GET /healthz — Liveness: the process is up */
export interface GetHealthz {
  path: never;
  query: never;
  body: never;
  response: {
    status: "ok";
  };
}

/** GET /readyz — Readiness: the database answers */
export interface GetReadyz {
  path: never;
  query: never;
  body: never;
  response: {
    status: "ready";
  };
}

/** GET /metrics — Prometheus metrics */
export interface GetMetrics {
  path: never;
  query: never;
  body: never;
  response: string;
}

/** GET /api/v1/webhooks/endpoints — List endpoints */
export interface GetWebhooksEndpoints {
  path: never;
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      url: string;
      description: string;
      events: string[];
      headers: Record<string, string>;
      timeout_seconds: number;
      retry_schedule: null | number[];
      signing_scheme: string;
      rate_limit: null | number;
      enabled: boolean;
      disabled_reason: null | string;
      disabled_at: null | string;
      consecutive_failures: number;
      secret_rotation_ends_at: null | string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/webhooks/endpoints — Create an endpoint (the secret is shown only here) */
export interface PostWebhooksEndpoints {
  path: never;
  query: never;
  body: {
    /** Where events are POSTed (http or https). */
    url: string;
    /** Event types to receive: exact ("run.completed"), prefix wildcard ("run.*") or "*". */
    events: string[];
    description?: string;
    /** Extra request headers: a free-form map of any header names to values (stored encrypted; values are never shown again). */
    headers?: Record<string, string>;
    /** Request timeout, 1–300 s (default 30). */
    timeout_seconds?: number;
    retry_schedule?: null | (number | string)[];
    /** How deliveries are signed. `standard` = Standard Webhooks (webhook-id/-timestamp/-signature). */
    signing_scheme?: "standard" | "x-signature" | "agentgateway" | "github" | "callback";
    rate_limit?: null | number;
    enabled?: boolean;
  };
  response: (({
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  }) & ({
    /** The signing secret. Shown only in this response. */
    secret: string;
  })) & ({
    /** Present only when there is advice; the endpoint was saved as given. */
    warnings?: ({
      /** `unknown_event_type`: neither a built-in type nor one ever published (saved anyway). */
      code: string;
      /** The request field, e.g. `events[1]`. */
      field: string;
      /** What is wrong, with a "did you mean" when a known type is close. */
      message: string;
    })[];
  });
}

/** GET /api/v1/webhooks/endpoints/{id} — Get an endpoint */
export interface GetWebhooksEndpointsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/webhooks/endpoints/{id} — Update an endpoint (only the fields given) */
export interface PatchWebhooksEndpointsById {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Where events are POSTed (http or https). */
    url?: string;
    /** Event types to receive: exact ("run.completed"), prefix wildcard ("run.*") or "*". */
    events?: string[];
    description?: string;
    /** Extra request headers: a free-form map of any header names to values (stored encrypted; values are never shown again). */
    headers?: Record<string, string>;
    /** Request timeout, 1–300 s (default 30). */
    timeout_seconds?: number;
    retry_schedule?: null | (number | string)[];
    /** How deliveries are signed. `standard` = Standard Webhooks (webhook-id/-timestamp/-signature). */
    signing_scheme?: "standard" | "x-signature" | "agentgateway" | "github" | "callback";
    rate_limit?: null | number;
    enabled?: boolean;
  };
  response: ({
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  }) & ({
    /** Present only when there is advice; the endpoint was saved as given. */
    warnings?: ({
      /** `unknown_event_type`: neither a built-in type nor one ever published (saved anyway). */
      code: string;
      /** The request field, e.g. `events[1]`. */
      field: string;
      /** What is wrong, with a "did you mean" when a known type is close. */
      message: string;
    })[];
  });
}

/** DELETE /api/v1/webhooks/endpoints/{id} — Delete an endpoint; its pending deliveries fail as endpoint_deleted */
export interface DeleteWebhooksEndpointsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** POST /api/v1/webhooks/endpoints/{id}/enable — Re-enable; events from while it was disabled are not delivered */
export interface PostWebhooksEndpointsByIdEnable {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** POST /api/v1/webhooks/endpoints/{id}/disable — Disable */
export interface PostWebhooksEndpointsByIdDisable {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** POST /api/v1/webhooks/endpoints/{id}/rotate-secret — Rotate the signing secret; the old one keeps signing during the grace period */
export interface PostWebhooksEndpointsByIdRotateSecret {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Default: delivery.rotation_grace (24h). */
    grace_period_seconds?: number;
  };
  response: ({
    id: string;
    url: string;
    description: string;
    events: string[];
    headers: Record<string, string>;
    timeout_seconds: number;
    retry_schedule: null | number[];
    signing_scheme: string;
    rate_limit: null | number;
    enabled: boolean;
    disabled_reason: null | string;
    disabled_at: null | string;
    consecutive_failures: number;
    secret_rotation_ends_at: null | string;
    created_at: string;
    updated_at: string;
  }) & ({
    /** The signing secret. Shown only in this response. */
    secret: string;
  });
}

/** POST /api/v1/webhooks/endpoints/{id}/test — Send a webhook.test event to this endpoint */
export interface PostWebhooksEndpointsByIdTest {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    event_id: string;
  };
}

/** POST /api/v1/webhooks/endpoints/{id}/replay — Re-enqueue this endpoint's subscribed events from a time window */
export interface PostWebhooksEndpointsByIdReplay {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** ISO-8601 time or epoch milliseconds. */
    since: string;
    /** Default: now. */
    until?: string;
  };
  response: {
    enqueued: number;
  };
}

/** POST /api/v1/events — Publish an event to every subscribed endpoint */
export interface PostEvents {
  path: never;
  query: never;
  body: {
    /** Event type, e.g. "invoice.paid". run.*, endpoint.* and webhook.* are reserved. */
    type: string;
    /** Event payload, delivered as `data`: free-form, any JSON. */
    data?: unknown;
    /** Your id for deduplication: the same id publishes once. */
    id?: string;
  };
  response: {
    event: {
      id: string;
      type: string;
      timestamp: string;
      org_id: string;
      env_id: string;
      data: unknown;
    };
    duplicate: boolean;
    /** Deliveries enqueued (0 for a duplicate). */
    deliveries: number;
  };
}

/** GET /api/v1/events/{id} — One event, as endpoints receive it (e.g. the full event behind a truncated live-stream message) */
export interface GetEventsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    type: string;
    timestamp: string;
    org_id: string;
    env_id: string;
    data: unknown;
  };
}

/** GET /api/v1/deliveries — The delivery log, newest first */
export interface GetDeliveries {
  path: never;
  query: {
    endpoint_id?: string;
    status?: "pending" | "delivered" | "failed";
    event_type?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      event_id: string;
      event_type: string;
      endpoint_id: string;
      status: "pending" | "delivered" | "failed";
      attempts: number;
      next_attempt_at: null | string;
      last_status_code: null | number;
      last_error: null | string;
      created_at: string;
      updated_at: string;
      delivered_at: null | string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/deliveries/{id} — One delivery with its event and every attempt */
export interface GetDeliveriesById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: ({
    id: string;
    event_id: string;
    event_type: string;
    endpoint_id: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    next_attempt_at: null | string;
    last_status_code: null | number;
    last_error: null | string;
    created_at: string;
    updated_at: string;
    delivered_at: null | string;
  }) & ({
    event: {
      id: string;
      type: string;
      timestamp: string;
      org_id: string;
      env_id: string;
      data: unknown;
    };
    history: ({
      attempt: number;
      started_at: string;
      duration_ms: number;
      request: {
        method: string;
        url: string;
      };
      status_code: null | number;
      /** First 4 KB of the response body. */
      response_body: string;
      error: null | {
        code: string;
        message: null | string;
      };
    })[];
  });
}

/** POST /api/v1/deliveries/{id}/retry — Send the identical payload again now (delivered or failed ones too) */
export interface PostDeliveriesByIdRetry {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    event_id: string;
    event_type: string;
    endpoint_id: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    next_attempt_at: null | string;
    last_status_code: null | number;
    last_error: null | string;
    created_at: string;
    updated_at: string;
    delivered_at: null | string;
  };
}

/** GET /api/v1/keys — List API keys (never the keys themselves) */
export interface GetKeys {
  path: never;
  query: never;
  body: never;
  response: {
    items: ({
      id: string;
      name: string;
      prefix: string;
      role: "admin" | "read";
      org_id: null | string;
      env_id: null | string;
      created_at: string;
      revoked_at: null | string;
      last_used_at: null | string;
    })[];
  };
}

/** POST /api/v1/keys — Create an API key (shown only in this response) */
export interface PostKeys {
  path: never;
  query: never;
  body: {
    name: string;
    role?: "admin" | "read";
    /** Limit the key to this org (docs/tenants.md#keys). */
    org_id?: string;
    /** Limit the key to this environment of `org_id`. */
    env_id?: string;
  };
  response: ({
    id: string;
    name: string;
    prefix: string;
    role: "admin" | "read";
    org_id: null | string;
    env_id: null | string;
    created_at: string;
    revoked_at: null | string;
    last_used_at: null | string;
  }) & ({
    /** The API key itself, shown only here. */
    key: string;
  });
}

/** DELETE /api/v1/keys/{id} — Revoke an API key; it stops working at once */
export interface DeleteKeysById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/orgs — List the orgs this key can see */
export interface GetOrgs {
  path: never;
  query: never;
  body: never;
  response: {
    items: ({
      id: string;
      name: string;
      /** The installation's default org: what a request that names no tenant addresses. */
      default: boolean;
      settings: {
        retention?: {
          /** Events older than this are deleted (`30d`). */
          events?: string;
          /** Attempt records older than this are deleted. */
          attempts?: string;
        };
        quotas?: {
          /** Events each environment may publish per second. */
          events_per_second?: number;
          /** Endpoints each environment may hold. */
          endpoints?: number;
          /** Agents each environment may hold. */
          agents?: number;
          /** Bytes of event payloads each environment may hold. */
          stored_bytes?: number;
        };
        portal_origins?: string[];
        brand?: {
          /** The portal's accent colour (`#1f6feb`). */
          color?: string;
          /** An https URL of the portal's logo. */
          logo_url?: string;
        };
      };
      created_at: string;
      updated_at: string;
    })[];
  };
}

/** POST /api/v1/orgs — Create an org with its first environment (installation keys only) */
export interface PostOrgs {
  path: never;
  query: never;
  body: {
    name: string;
    settings?: {
      retention?: {
        /** Events older than this are deleted (`30d`). */
        events?: string;
        /** Attempt records older than this are deleted. */
        attempts?: string;
      };
      quotas?: {
        /** Events each environment may publish per second. */
        events_per_second?: number;
        /** Endpoints each environment may hold. */
        endpoints?: number;
        /** Agents each environment may hold. */
        agents?: number;
        /** Bytes of event payloads each environment may hold. */
        stored_bytes?: number;
      };
      portal_origins?: string[];
      brand?: {
        /** The portal's accent colour (`#1f6feb`). */
        color?: string;
        /** An https URL of the portal's logo. */
        logo_url?: string;
      };
    };
    env_name?: string;
  };
  response: ({
    id: string;
    name: string;
    /** The installation's default org: what a request that names no tenant addresses. */
    default: boolean;
    settings: {
      retention?: {
        /** Events older than this are deleted (`30d`). */
        events?: string;
        /** Attempt records older than this are deleted. */
        attempts?: string;
      };
      quotas?: {
        /** Events each environment may publish per second. */
        events_per_second?: number;
        /** Endpoints each environment may hold. */
        endpoints?: number;
        /** Agents each environment may hold. */
        agents?: number;
        /** Bytes of event payloads each environment may hold. */
        stored_bytes?: number;
      };
      portal_origins?: string[];
      brand?: {
        /** The portal's accent colour (`#1f6feb`). */
        color?: string;
        /** An https URL of the portal's logo. */
        logo_url?: string;
      };
    };
    created_at: string;
    updated_at: string;
  }) & ({
    envs: ({
      id: string;
      org_id: string;
      name: string;
      /** The org's default environment: what an org key that names none addresses. */
      default: boolean;
      created_at: string;
    })[];
  });
}

/** GET /api/v1/orgs/{org_id} — Get an org */
export interface GetOrgsByOrgId {
  path: {
    org_id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    name: string;
    /** The installation's default org: what a request that names no tenant addresses. */
    default: boolean;
    settings: {
      retention?: {
        /** Events older than this are deleted (`30d`). */
        events?: string;
        /** Attempt records older than this are deleted. */
        attempts?: string;
      };
      quotas?: {
        /** Events each environment may publish per second. */
        events_per_second?: number;
        /** Endpoints each environment may hold. */
        endpoints?: number;
        /** Agents each environment may hold. */
        agents?: number;
        /** Bytes of event payloads each environment may hold. */
        stored_bytes?: number;
      };
      portal_origins?: string[];
      brand?: {
        /** The portal's accent colour (`#1f6feb`). */
        color?: string;
        /** An https URL of the portal's logo. */
        logo_url?: string;
      };
    };
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/orgs/{org_id} — Rename an org or replace its settings (retention, quotas, portal origins, brand) */
export interface PatchOrgsByOrgId {
  path: {
    org_id: string;
  };
  query: never;
  body: {
    name?: string;
    settings?: {
      retention?: {
        /** Events older than this are deleted (`30d`). */
        events?: string;
        /** Attempt records older than this are deleted. */
        attempts?: string;
      };
      quotas?: {
        /** Events each environment may publish per second. */
        events_per_second?: number;
        /** Endpoints each environment may hold. */
        endpoints?: number;
        /** Agents each environment may hold. */
        agents?: number;
        /** Bytes of event payloads each environment may hold. */
        stored_bytes?: number;
      };
      portal_origins?: string[];
      brand?: {
        /** The portal's accent colour (`#1f6feb`). */
        color?: string;
        /** An https URL of the portal's logo. */
        logo_url?: string;
      };
    };
  };
  response: {
    id: string;
    name: string;
    /** The installation's default org: what a request that names no tenant addresses. */
    default: boolean;
    settings: {
      retention?: {
        /** Events older than this are deleted (`30d`). */
        events?: string;
        /** Attempt records older than this are deleted. */
        attempts?: string;
      };
      quotas?: {
        /** Events each environment may publish per second. */
        events_per_second?: number;
        /** Endpoints each environment may hold. */
        endpoints?: number;
        /** Agents each environment may hold. */
        agents?: number;
        /** Bytes of event payloads each environment may hold. */
        stored_bytes?: number;
      };
      portal_origins?: string[];
      brand?: {
        /** The portal's accent colour (`#1f6feb`). */
        color?: string;
        /** An https URL of the portal's logo. */
        logo_url?: string;
      };
    };
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/orgs/{org_id} — Delete an org and erase everything in it */
export interface DeleteOrgsByOrgId {
  path: {
    org_id: string;
  };
  query: {
    /** The id being deleted; needed when it holds data, since everything in it is erased. */
    confirm?: string;
  };
  body: never;
  response: void;
}

/** GET /api/v1/orgs/{org_id}/envs — List an org's environments */
export interface GetOrgsByOrgIdEnvs {
  path: {
    org_id: string;
  };
  query: never;
  body: never;
  response: {
    items: ({
      id: string;
      org_id: string;
      name: string;
      /** The org's default environment: what an org key that names none addresses. */
      default: boolean;
      created_at: string;
    })[];
  };
}

/** POST /api/v1/orgs/{org_id}/envs — Create an environment */
export interface PostOrgsByOrgIdEnvs {
  path: {
    org_id: string;
  };
  query: never;
  body: {
    name: string;
  };
  response: {
    id: string;
    org_id: string;
    name: string;
    /** The org's default environment: what an org key that names none addresses. */
    default: boolean;
    created_at: string;
  };
}

/** GET /api/v1/orgs/{org_id}/envs/{env_id} — Get an environment */
export interface GetOrgsByOrgIdEnvsByEnvId {
  path: {
    org_id: string;
    env_id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    org_id: string;
    name: string;
    /** The org's default environment: what an org key that names none addresses. */
    default: boolean;
    created_at: string;
  };
}

/** DELETE /api/v1/orgs/{org_id}/envs/{env_id} — Delete an environment and erase everything in it */
export interface DeleteOrgsByOrgIdEnvsByEnvId {
  path: {
    org_id: string;
    env_id: string;
  };
  query: {
    /** The id being deleted; needed when it holds data, since everything in it is erased. */
    confirm?: string;
  };
  body: never;
  response: void;
}

/** GET /api/v1/crews — List crews */
export interface GetCrews {
  path: never;
  query: never;
  body: never;
  response: {
    items: ({
      id: string;
      name: string;
      created_at: string;
      updated_at: string;
    })[];
  };
}

/** POST /api/v1/crews — Create a crew (team) */
export interface PostCrews {
  path: never;
  query: never;
  body: {
    /** Lower-case letters, digits, - and _. */
    id?: string;
    name: string;
  };
  response: {
    id: string;
    name: string;
    created_at: string;
    updated_at: string;
  };
}

/** GET /api/v1/crews/{id} — Get a crew */
export interface GetCrewsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    name: string;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/crews/{id} — Delete an empty crew */
export interface DeleteCrewsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/agents — List agents */
export interface GetAgents {
  path: never;
  query: {
    crew_id?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      crew_id: string;
      name: string;
      description: string;
      runner: "command" | "http" | "openai";
      runner_config: CommandRunnerView | HttpRunnerView | OpenaiRunnerView;
      prompt_template: string;
      timeout_seconds: number;
      max_concurrent_runs: number;
      model: null | string;
      rate_limit_per_minute: null | number;
      /** The agent's own inbound URL (path), signed with its webhook secret. */
      trigger_url: string;
      /** `file` when an AGENT.md defines it: change the file, not the API. */
      source: "api" | "file";
      source_path: null | string;
      notifications: null | {
        on_complete?: ({
          channel: "slack" | "webhook";
          /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
          target: string;
        })[];
        on_error?: ({
          channel: "slack" | "webhook";
          /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
          target: string;
        })[];
        on_timeout?: ({
          channel: "slack" | "webhook";
          /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
          target: string;
        })[];
      };
      callback_url: null | string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/agents — Create an agent (its webhook secret is shown only here) */
export interface PostAgents {
  path: never;
  query: never;
  body: CommandAgent | HttpAgent | OpenaiAgent;
  response: ({
    id: string;
    crew_id: string;
    name: string;
    description: string;
    runner: "command" | "http" | "openai";
    runner_config: CommandRunnerView | HttpRunnerView | OpenaiRunnerView;
    prompt_template: string;
    timeout_seconds: number;
    max_concurrent_runs: number;
    model: null | string;
    rate_limit_per_minute: null | number;
    /** The agent's own inbound URL (path), signed with its webhook secret. */
    trigger_url: string;
    /** `file` when an AGENT.md defines it: change the file, not the API. */
    source: "api" | "file";
    source_path: null | string;
    notifications: null | {
      on_complete?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_error?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_timeout?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
    };
    callback_url: null | string;
    created_at: string;
    updated_at: string;
  }) & ({
    /** The inbound trigger secret, shown only here. */
    webhook_secret: string;
  });
}

/** GET /api/v1/agents/{id} — Get an agent */
export interface GetAgentsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    crew_id: string;
    name: string;
    description: string;
    runner: "command" | "http" | "openai";
    runner_config: CommandRunnerView | HttpRunnerView | OpenaiRunnerView;
    prompt_template: string;
    timeout_seconds: number;
    max_concurrent_runs: number;
    model: null | string;
    rate_limit_per_minute: null | number;
    /** The agent's own inbound URL (path), signed with its webhook secret. */
    trigger_url: string;
    /** `file` when an AGENT.md defines it: change the file, not the API. */
    source: "api" | "file";
    source_path: null | string;
    notifications: null | {
      on_complete?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_error?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_timeout?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
    };
    callback_url: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/agents/{id} — Update an agent (only the fields given) */
export interface PatchAgentsById {
  path: {
    id: string;
  };
  query: never;
  body: {
    name?: string;
    description?: string;
    /** How the agent runs: `command` (a local program), `http` (POST to a URL), `openai` (an OpenAI-compatible chat completions API). */
    runner?: "command" | "http" | "openai";
    /** Settings for `runner` (the one given, else the current one), shaped as on create. Replaces the stored settings whole, secrets included. Required when `runner` changes. */
    runner_config?: Record<string, unknown>;
    /** Instructions put before every trigger payload. */
    prompt_template?: string;
    /** Seconds a run may take before it ends as `timeout`. Default: the server's `agents.default_timeout_seconds` (600, 10 minutes). */
    timeout_seconds?: number;
    /** More runs wait in the queue (default 1). */
    max_concurrent_runs?: number;
    /** Model label; the `openai` runner sends it when its settings name no model. */
    model?: null | string;
    /** Inbound triggers accepted per minute; more get 429. */
    rate_limit_per_minute?: null | number;
    /** Per-agent notification rules: `{on_complete|on_error|on_timeout: [{channel: slack|webhook, target}]}`. They replace the configured defaults for this agent; null restores the defaults. */
    notifications?: null | NotificationRules;
  };
  response: {
    id: string;
    crew_id: string;
    name: string;
    description: string;
    runner: "command" | "http" | "openai";
    runner_config: CommandRunnerView | HttpRunnerView | OpenaiRunnerView;
    prompt_template: string;
    timeout_seconds: number;
    max_concurrent_runs: number;
    model: null | string;
    rate_limit_per_minute: null | number;
    /** The agent's own inbound URL (path), signed with its webhook secret. */
    trigger_url: string;
    /** `file` when an AGENT.md defines it: change the file, not the API. */
    source: "api" | "file";
    source_path: null | string;
    notifications: null | {
      on_complete?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_error?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
      on_timeout?: ({
        channel: "slack" | "webhook";
        /** A Slack channel or incoming-webhook URL (its origin only), or a named webhook from the config. */
        target: string;
      })[];
    };
    callback_url: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/agents/{id} — Delete an agent */
export interface DeleteAgentsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** POST /api/v1/agents/{id}/webhook-secret/rotate — Replace the inbound trigger secret (the old one stops working at once) */
export interface PostAgentsByIdWebhookSecretRotate {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    /** The inbound trigger secret, shown only here. */
    webhook_secret: string;
  };
}

/** POST /api/v1/agents/reload — Reload the AGENT.md files (as SIGHUP does) and report what changed and which files are broken */
export interface PostAgentsReload {
  path: never;
  query: never;
  body: never;
  response: {
    dir: string;
    loaded: ({
      id: string;
      path: string;
      action: "created" | "updated" | "unchanged";
    })[];
    /** File agents whose file is gone: deleted with their triggers (their runs stay). */
    removed: string[];
    errors: ({
      path: string;
      line: number;
      message: string;
    })[];
    /** Why the configuration could not be read again at this reload (agents.default_runner was kept as it was). */
    config_error?: string;
  };
}

/** GET /api/v1/runs — Runs, newest first */
export interface GetRuns {
  path: never;
  query: {
    agent_id?: string;
    crew_id?: string;
    trigger_type?: string;
    /** The schedule or named webhook trigger that started the run. */
    trigger_id?: string;
    status?: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    since?: string;
    until?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      crew_id: string;
      agent_id: string;
      /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
      trigger_type: "webhook" | "schedule" | "manual" | "api";
      trigger_id: null | string;
      trigger_name: null | string;
      prompt: string;
      status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
      output: null | string;
      error: null | string;
      exit_code: null | number;
      usage: {
        iterations_used: null | number;
        tool_calls: null | number;
        tokens_used: null | number;
      };
      created_at: string;
      started_at: null | string;
      finished_at: null | string;
      duration_seconds: null | number;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/agents/{id}/runs — One agent's runs */
export interface GetAgentsByIdRuns {
  path: {
    id: string;
  };
  query: {
    agent_id?: string;
    crew_id?: string;
    trigger_type?: string;
    /** The schedule or named webhook trigger that started the run. */
    trigger_id?: string;
    status?: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    since?: string;
    until?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      crew_id: string;
      agent_id: string;
      /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
      trigger_type: "webhook" | "schedule" | "manual" | "api";
      trigger_id: null | string;
      trigger_name: null | string;
      prompt: string;
      status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
      output: null | string;
      error: null | string;
      exit_code: null | number;
      usage: {
        iterations_used: null | number;
        tool_calls: null | number;
        tokens_used: null | number;
      };
      created_at: string;
      started_at: null | string;
      finished_at: null | string;
      duration_seconds: null | number;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/agents/{id}/runs — Start a run by hand; with ?wait=true, answer when it has ended */
export interface PostAgentsByIdRuns {
  path: {
    id: string;
  };
  query: {
    wait?: boolean;
    /** How long ?wait=true waits before answering 202 with the run still going. */
    wait_seconds?: number;
  };
  body: {
    prompt?: string;
  };
  response: {
    id: string;
    crew_id: string;
    agent_id: string;
    /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
    trigger_type: "webhook" | "schedule" | "manual" | "api";
    trigger_id: null | string;
    trigger_name: null | string;
    prompt: string;
    status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    output: null | string;
    error: null | string;
    exit_code: null | number;
    usage: {
      iterations_used: null | number;
      tool_calls: null | number;
      tokens_used: null | number;
    };
    created_at: string;
    started_at: null | string;
    finished_at: null | string;
    duration_seconds: null | number;
  };
}

/** GET /api/v1/runs/{id} — One run */
export interface GetRunsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    crew_id: string;
    agent_id: string;
    /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
    trigger_type: "webhook" | "schedule" | "manual" | "api";
    trigger_id: null | string;
    trigger_name: null | string;
    prompt: string;
    status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    output: null | string;
    error: null | string;
    exit_code: null | number;
    usage: {
      iterations_used: null | number;
      tool_calls: null | number;
      tokens_used: null | number;
    };
    created_at: string;
    started_at: null | string;
    finished_at: null | string;
    duration_seconds: null | number;
  };
}

/** POST /api/v1/runs/{id}/cancel — Cancel a queued or running run */
export interface PostRunsByIdCancel {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    crew_id: string;
    agent_id: string;
    /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
    trigger_type: "webhook" | "schedule" | "manual" | "api";
    trigger_id: null | string;
    trigger_name: null | string;
    prompt: string;
    status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    output: null | string;
    error: null | string;
    exit_code: null | number;
    usage: {
      iterations_used: null | number;
      tool_calls: null | number;
      tokens_used: null | number;
    };
    created_at: string;
    started_at: null | string;
    finished_at: null | string;
    duration_seconds: null | number;
  };
}

/** POST /api/v1/runs/report — Report a run executed elsewhere; it notifies exactly like a local run */
export interface PostRunsReport {
  path: never;
  query: never;
  body: {
    agent_id: string;
    status: "completed" | "failed" | "timeout";
    output?: null | string;
    error?: null | string;
    prompt?: string;
    /** ISO-8601 or epoch ms; default now. */
    started_at?: string;
    /** ISO-8601 or epoch ms; default now. */
    finished_at?: string;
    usage?: {
      iterations_used?: number;
      tool_calls?: number;
      tokens_used?: number;
    };
    /** Your id for this run; reporting it again records nothing new. */
    external_id?: string;
  };
  response: ({
    id: string;
    crew_id: string;
    agent_id: string;
    /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
    trigger_type: "webhook" | "schedule" | "manual" | "api";
    trigger_id: null | string;
    trigger_name: null | string;
    prompt: string;
    status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    output: null | string;
    error: null | string;
    exit_code: null | number;
    usage: {
      iterations_used: null | number;
      tool_calls: null | number;
      tokens_used: null | number;
    };
    created_at: string;
    started_at: null | string;
    finished_at: null | string;
    duration_seconds: null | number;
  }) & ({
    duplicate: boolean;
  });
}

/** GET /api/v1/runs/{id}/logs — A run's log lines, oldest first */
export interface GetRunsByIdLogs {
  path: {
    id: string;
  };
  query: {
    /** Only lines after this one (for polling a live run). */
    after_seq?: number;
    limit?: number;
  };
  body: never;
  response: {
    items: ({
      run_id: string;
      seq: number;
      at: string;
      /** stdout or stderr. */
      stream: string;
      line: string;
    })[];
    /** The run's status when the lines were read: poll with `after_seq` until it has ended. */
    run_status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
  };
}

/** GET /api/v1/agents/{id}/logs — An agent's most recent log lines, newest first */
export interface GetAgentsByIdLogs {
  path: {
    id: string;
  };
  query: {
    /** Only lines after this one (for polling a live run). */
    after_seq?: number;
    limit?: number;
  };
  body: never;
  response: {
    items: ({
      run_id: string;
      seq: number;
      at: string;
      /** stdout or stderr. */
      stream: string;
      line: string;
    })[];
  };
}

/** POST /api/v1/webhooks/{crewId}/{agentId}/trigger — Trigger an agent run; authenticated by the agent's webhook secret */
export interface PostWebhooksByCrewIdByAgentIdTrigger {
  path: {
    crewId: string;
    agentId: string;
  };
  query: never;
  body: never;
  response: {
    status: "ignored";
    reason: string;
  } | {
    status: "accepted";
    /** Follow it with GET /api/v1/runs/{id} and an API key. */
    run_id: string;
    /** Present when the Idempotency-Key (or the sender's delivery id) was seen before: run_id is the first run, no new one was started. */
    duplicate?: true;
  };
}

/** POST /api/v1/webhooks/{crewId}/{agentId}/{name} — Trigger an agent run through a named webhook trigger; authenticated by the trigger's secret and scheme */
export interface PostWebhooksByCrewIdByAgentIdByName {
  path: {
    crewId: string;
    agentId: string;
    name: string;
  };
  query: never;
  body: never;
  response: {
    status: "ignored";
    reason: string;
  } | {
    status: "accepted";
    /** Follow it with GET /api/v1/runs/{id} and an API key. */
    run_id: string;
    /** Present when the Idempotency-Key (or the sender's delivery id) was seen before: run_id is the first run, no new one was started. */
    duplicate?: true;
  };
}

/** GET /api/v1/schedules — List schedules (optionally of one agent) */
export interface GetSchedules {
  path: never;
  query: {
    agent_id?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      agent_id: string;
      name: string;
      cron: string;
      timezone: string;
      prompt: string;
      enabled: boolean;
      misfire_grace_seconds: number;
      next_run_at: null | string;
      /** The next three ticks. */
      next_runs: string[];
      last_run_at: null | string;
      last_run_id: null | string;
      last_skip_reason: null | string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/schedules — Create a schedule */
export interface PostSchedules {
  path: never;
  query: never;
  body: {
    agent_id: string;
    /** Shown as the run's trigger_name. */
    name: string;
    /** Cron expression (croner): 5 fields (minute precision), 6 with seconds first, or 7 with a year; also @hourly, @daily, @weekly, @monthly, @yearly. */
    cron: string;
    /** IANA time zone the expression is read in, e.g. "Europe/Berlin" (default "UTC"). */
    timezone?: string;
    /** Put after the agent's prompt_template. */
    prompt?: string;
    /** Default true. Enabling plans the next tick from now. */
    enabled?: boolean;
    /** How late a tick may still run (default 60); later ticks are skipped with last_skip_reason. */
    misfire_grace_seconds?: number;
  };
  response: {
    id: string;
    agent_id: string;
    name: string;
    cron: string;
    timezone: string;
    prompt: string;
    enabled: boolean;
    misfire_grace_seconds: number;
    next_run_at: null | string;
    /** The next three ticks. */
    next_runs: string[];
    last_run_at: null | string;
    last_run_id: null | string;
    last_skip_reason: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** GET /api/v1/agents/{id}/schedules — One agent's schedules */
export interface GetAgentsByIdSchedules {
  path: {
    id: string;
  };
  query: {
    agent_id?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      agent_id: string;
      name: string;
      cron: string;
      timezone: string;
      prompt: string;
      enabled: boolean;
      misfire_grace_seconds: number;
      next_run_at: null | string;
      /** The next three ticks. */
      next_runs: string[];
      last_run_at: null | string;
      last_run_id: null | string;
      last_skip_reason: null | string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/schedules/{id} — Get a schedule */
export interface GetSchedulesById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    agent_id: string;
    name: string;
    cron: string;
    timezone: string;
    prompt: string;
    enabled: boolean;
    misfire_grace_seconds: number;
    next_run_at: null | string;
    /** The next three ticks. */
    next_runs: string[];
    last_run_at: null | string;
    last_run_id: null | string;
    last_skip_reason: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/schedules/{id} — Update a schedule (only the fields given) */
export interface PatchSchedulesById {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Shown as the run's trigger_name. */
    name?: string;
    /** Cron expression (croner): 5 fields (minute precision), 6 with seconds first, or 7 with a year; also @hourly, @daily, @weekly, @monthly, @yearly. */
    cron?: string;
    /** IANA time zone the expression is read in, e.g. "Europe/Berlin" (default "UTC"). */
    timezone?: string;
    /** Put after the agent's prompt_template. */
    prompt?: string;
    /** Default true. Enabling plans the next tick from now. */
    enabled?: boolean;
    /** How late a tick may still run (default 60); later ticks are skipped with last_skip_reason. */
    misfire_grace_seconds?: number;
  };
  response: {
    id: string;
    agent_id: string;
    name: string;
    cron: string;
    timezone: string;
    prompt: string;
    enabled: boolean;
    misfire_grace_seconds: number;
    next_run_at: null | string;
    /** The next three ticks. */
    next_runs: string[];
    last_run_at: null | string;
    last_run_id: null | string;
    last_skip_reason: null | string;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/schedules/{id} — Delete a schedule */
export interface DeleteSchedulesById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** POST /api/v1/schedules/{id}/run — Run the schedule's prompt now (409 while its previous run is still going) */
export interface PostSchedulesByIdRun {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    crew_id: string;
    agent_id: string;
    /** webhook, schedule, manual (started through the API or the dashboard) or api (reported with POST /api/v1/runs/report). */
    trigger_type: "webhook" | "schedule" | "manual" | "api";
    trigger_id: null | string;
    trigger_name: null | string;
    prompt: string;
    status: "queued" | "running" | "completed" | "failed" | "timeout" | "cancelled";
    output: null | string;
    error: null | string;
    exit_code: null | number;
    usage: {
      iterations_used: null | number;
      tool_calls: null | number;
      tokens_used: null | number;
    };
    created_at: string;
    started_at: null | string;
    finished_at: null | string;
    duration_seconds: null | number;
  };
}

/** GET /api/v1/agents/{id}/webhook-triggers — An agent's named webhook triggers */
export interface GetAgentsByIdWebhookTriggers {
  path: {
    id: string;
  };
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      agent_id: string;
      crew_id: string;
      name: string;
      scheme: "hookline" | "github" | "standard" | "grafana";
      prompt_template: string;
      enabled: boolean;
      /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
      url: string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/agents/{id}/webhook-triggers — Add a named webhook trigger to an agent (its secret is shown only here) */
export interface PostAgentsByIdWebhookTriggers {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** The last segment of the URL /api/v1/webhooks/{crew}/{agent}/{name}; "trigger" is reserved. */
    name: string;
    /** How the sender signs: hookline (X-Signature, default), github (X-Hub-Signature-256), standard (Standard Webhooks), grafana (X-Grafana-Alerting-Signature). */
    scheme?: "hookline" | "github" | "standard" | "grafana";
    /** Bring your own secret (a Standard Webhooks sender gives you a whsec_… one); omit it to have one generated. Shown only in this response. */
    secret?: string;
    /** Instructions put before the payload; empty = the agent's prompt template. */
    prompt_template?: string;
    /** A disabled trigger answers 403 to correctly signed requests. */
    enabled?: boolean;
  };
  response: ({
    id: string;
    agent_id: string;
    crew_id: string;
    name: string;
    scheme: "hookline" | "github" | "standard" | "grafana";
    prompt_template: string;
    enabled: boolean;
    /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
    url: string;
    created_at: string;
    updated_at: string;
  }) & ({
    /** Shown only in this response. */
    secret: string;
  });
}

/** GET /api/v1/webhook-triggers — Named webhook triggers */
export interface GetWebhookTriggers {
  path: never;
  query: {
    agent_id?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      agent_id: string;
      crew_id: string;
      name: string;
      scheme: "hookline" | "github" | "standard" | "grafana";
      prompt_template: string;
      enabled: boolean;
      /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
      url: string;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/webhook-triggers/{id} — One named webhook trigger */
export interface GetWebhookTriggersById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    agent_id: string;
    crew_id: string;
    name: string;
    scheme: "hookline" | "github" | "standard" | "grafana";
    prompt_template: string;
    enabled: boolean;
    /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
    url: string;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/webhook-triggers/{id} — Change its prompt template or enable/disable it */
export interface PatchWebhookTriggersById {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Instructions put before the payload; empty = the agent's prompt template. */
    prompt_template?: string;
    /** A disabled trigger answers 403 to correctly signed requests. */
    enabled?: boolean;
  };
  response: {
    id: string;
    agent_id: string;
    crew_id: string;
    name: string;
    scheme: "hookline" | "github" | "standard" | "grafana";
    prompt_template: string;
    enabled: boolean;
    /** Path of the trigger URL: /api/v1/webhooks/{crew}/{agent}/{name}. */
    url: string;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/webhook-triggers/{id} — Delete a named webhook trigger (its URL answers 404 from now on) */
export interface DeleteWebhookTriggersById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** POST /api/v1/webhook-triggers/{id}/rotate-secret — Replace the secret (the old one stops working at once); the new one is shown only here */
export interface PostWebhookTriggersByIdRotateSecret {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Bring your own secret (a Standard Webhooks sender gives you a whsec_… one); omit it to have one generated. Shown only in this response. */
    secret?: string;
  };
  response: {
    /** Shown only in this response. */
    secret: string;
  };
}

/** GET /api/v1/post-actions — List post-actions */
export interface GetPostActions {
  path: never;
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      name: string;
      method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      url: string;
      /** Names only; values show as ********. */
      headers: Record<string, string>;
      body_template: string;
      auth: {
        type: "none" | "bearer" | "basic" | "header";
        /** The header name, for auth type header. */
        name?: string;
      };
      timeout_seconds: number;
      retry_count: number;
      enabled: boolean;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/post-actions — Create a post-action */
export interface PostPostActions {
  path: never;
  query: never;
  body: {
    name: string;
    /** HTTP method (required; there is no default). */
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** Where the request goes (http or https); inserted values are percent-encoded. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    url: string;
    /** Header name → value template, a free-form map of any header names. Stored encrypted; values are never shown again. A PATCH with `headers` replaces them all. */
    headers?: Record<string, string>;
    /** Request body; when it starts with { or [, inserted values are JSON-escaped. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    body_template?: string;
    /** Credentials, stored encrypted (AES-256-GCM) and never shown again; a PATCH without `auth` keeps them. */
    auth?: {
      /** none; bearer (token); basic (username, password); header (name, value). */
      type: "none" | "bearer" | "basic" | "header";
      token?: string;
      username?: string;
      password?: string;
      name?: string;
      value?: string;
    };
    /** Per-request timeout, 1–300 s (default 30). */
    timeout_seconds?: number;
    /** Retries after a failed attempt, 0–5 (default 0). */
    retry_count?: number;
    /** Default true. */
    enabled?: boolean;
  };
  response: {
    id: string;
    name: string;
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    url: string;
    /** Names only; values show as ********. */
    headers: Record<string, string>;
    body_template: string;
    auth: {
      type: "none" | "bearer" | "basic" | "header";
      /** The header name, for auth type header. */
      name?: string;
    };
    timeout_seconds: number;
    retry_count: number;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** GET /api/v1/post-actions/{id} — Get a post-action */
export interface GetPostActionsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    name: string;
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    url: string;
    /** Names only; values show as ********. */
    headers: Record<string, string>;
    body_template: string;
    auth: {
      type: "none" | "bearer" | "basic" | "header";
      /** The header name, for auth type header. */
      name?: string;
    };
    timeout_seconds: number;
    retry_count: number;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/post-actions/{id} — Update a post-action (only the fields given) */
export interface PatchPostActionsById {
  path: {
    id: string;
  };
  query: never;
  body: {
    name?: string;
    /** HTTP method (required; there is no default). */
    method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    /** Where the request goes (http or https); inserted values are percent-encoded. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    url?: string;
    /** Header name → value template, a free-form map of any header names. Stored encrypted; values are never shown again. A PATCH with `headers` replaces them all. */
    headers?: Record<string, string>;
    /** Request body; when it starts with { or [, inserted values are JSON-escaped. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    body_template?: string;
    /** Credentials, stored encrypted (AES-256-GCM) and never shown again; a PATCH without `auth` keeps them. */
    auth?: {
      /** none; bearer (token); basic (username, password); header (name, value). */
      type: "none" | "bearer" | "basic" | "header";
      token?: string;
      username?: string;
      password?: string;
      name?: string;
      value?: string;
    };
    /** Per-request timeout, 1–300 s (default 30). */
    timeout_seconds?: number;
    /** Retries after a failed attempt, 0–5 (default 0). */
    retry_count?: number;
    /** Default true. */
    enabled?: boolean;
  };
  response: {
    id: string;
    name: string;
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
    url: string;
    /** Names only; values show as ********. */
    headers: Record<string, string>;
    body_template: string;
    auth: {
      type: "none" | "bearer" | "basic" | "header";
      /** The header name, for auth type header. */
      name?: string;
    };
    timeout_seconds: number;
    retry_count: number;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/post-actions/{id} — Delete a post-action and its bindings */
export interface DeletePostActionsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/post-actions/{id}/bindings — A post-action's bindings */
export interface GetPostActionsByIdBindings {
  path: {
    id: string;
  };
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      post_action_id: string;
      trigger_type: "webhook" | "schedule";
      trigger_id: string;
      fire_when: "any" | "success" | "failure";
      body_override: null | string;
      enabled: boolean;
      created_at: string;
      updated_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/post-actions/{id}/bindings — Bind the post-action to a webhook trigger or schedule (409 if already bound) */
export interface PostPostActionsByIdBindings {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** webhook or schedule. */
    trigger_type: "webhook" | "schedule";
    /** webhook: a named webhook trigger id (wht_…), or an agent id for the agent's own URL; schedule: a schedule id (sch_…). */
    trigger_id: string;
    /** any (always), success, or failure (failed or timed out). Default any. */
    fire_when?: "any" | "success" | "failure";
    body_override?: null | string;
    /** Default true. */
    enabled?: boolean;
  };
  response: {
    id: string;
    post_action_id: string;
    trigger_type: "webhook" | "schedule";
    trigger_id: string;
    fire_when: "any" | "success" | "failure";
    body_override: null | string;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** GET /api/v1/post-actions/{id}/bindings/{bindingId} — Get a binding */
export interface GetPostActionsByIdBindingsByBindingId {
  path: {
    id: string;
    bindingId: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    post_action_id: string;
    trigger_type: "webhook" | "schedule";
    trigger_id: string;
    fire_when: "any" | "success" | "failure";
    body_override: null | string;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** PATCH /api/v1/post-actions/{id}/bindings/{bindingId} — Update a binding (fire_when, body_override, enabled) */
export interface PatchPostActionsByIdBindingsByBindingId {
  path: {
    id: string;
    bindingId: string;
  };
  query: never;
  body: {
    /** any (always), success, or failure (failed or timed out). Default any. */
    fire_when?: "any" | "success" | "failure";
    body_override?: null | string;
    /** Default true. */
    enabled?: boolean;
  };
  response: {
    id: string;
    post_action_id: string;
    trigger_type: "webhook" | "schedule";
    trigger_id: string;
    fire_when: "any" | "success" | "failure";
    body_override: null | string;
    enabled: boolean;
    created_at: string;
    updated_at: string;
  };
}

/** DELETE /api/v1/post-actions/{id}/bindings/{bindingId} — Delete a binding */
export interface DeletePostActionsByIdBindingsByBindingId {
  path: {
    id: string;
    bindingId: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/post-actions/{id}/runs — Run history: every time it fired, newest first */
export interface GetPostActionsByIdRuns {
  path: {
    id: string;
  };
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      /** Also its id in the notification log (POST /api/v1/notifications/{id}/retry sends it again). */
      id: string;
      /** success | failed | pending (retries still to come). */
      status: "success" | "failed" | "pending";
      http_status_code: null | number;
      /** What the last attempt sent. */
      request: null | {
        method: string;
        url: string;
      };
      response_body: null | string;
      error: null | string;
      duration_ms: null | number;
      attempts: number;
      run_id: null | string;
      binding_id: null | string;
      created_at: string;
      finished_at: null | string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/post-actions/preview — Render URL, header and body templates with sample values or a run's variables; nothing is sent */
export interface PostPostActionsPreview {
  path: never;
  query: never;
  body: {
    /** Where the request goes (http or https); inserted values are percent-encoded. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    url?: string;
    /** Header name → value template, a free-form map of any header names. Stored encrypted; values are never shown again. A PATCH with `headers` replaces them all. */
    headers?: Record<string, string>;
    /** Request body; when it starts with { or [, inserted values are JSON-escaped. A template (see docs/templates.md); a mistake is a 422 invalid_template with its line and column. */
    body_template?: string;
    /** Render with the variables this run gives its post-actions; without it, fixed sample values. */
    run_id?: string;
  };
  response: {
    source: "sample" | "run";
    /** The values the templates were rendered with. */
    variables: Record<string, unknown>;
    url: null | string;
    headers: null | Record<string, string>;
    body: null | string;
    /** Template mistakes; that field is null (a header is left out), the others still render. */
    errors: ({
      /** url, headers.<Name> or body_template. */
      field: string;
      message: string;
      line: number;
      column: number;
    })[];
  };
}

/** GET /api/v1/triggers/{type}/{id}/post-actions — A trigger's post-action bindings, each with its post-action */
export interface GetTriggersByTypeByIdPostActions {
  path: {
    /** webhook or schedule. */
    type: "webhook" | "schedule";
    id: string;
  };
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: (({
      id: string;
      post_action_id: string;
      trigger_type: "webhook" | "schedule";
      trigger_id: string;
      fire_when: "any" | "success" | "failure";
      body_override: null | string;
      enabled: boolean;
      created_at: string;
      updated_at: string;
    }) & ({
      post_action: {
        id: string;
        name: string;
        method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
        url: string;
        /** Names only; values show as ********. */
        headers: Record<string, string>;
        body_template: string;
        auth: {
          type: "none" | "bearer" | "basic" | "header";
          /** The header name, for auth type header. */
          name?: string;
        };
        timeout_seconds: number;
        retry_count: number;
        enabled: boolean;
        created_at: string;
        updated_at: string;
      };
    }))[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/notifications — Every notification of every run, newest first */
export interface GetNotifications {
  path: never;
  query: {
    status?: "pending" | "delivered" | "failed";
    /** The agent's id or name. */
    agent_id?: string;
    channel?: "slack" | "webhook" | "post_action" | "callback" | "endpoint";
    execution_id?: string;
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      /** The run that caused it. */
      execution_id: string;
      agent_id: string;
      /** on_complete, on_error or on_timeout. */
      event_type: string;
      /** slack | webhook | post_action | callback | endpoint */
      channel: "slack" | "webhook" | "post_action" | "callback" | "endpoint";
      /** Slack channel, webhook name, post-action name, callback URL or endpoint id. */
      target: string;
      /** pending | delivered | failed */
      status: "pending" | "delivered" | "failed";
      attempts: number;
      last_error: null | string;
      created_at: string;
      delivered_at: null | string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** GET /api/v1/notifications/{id} — One notification */
export interface GetNotificationsById {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    /** The run that caused it. */
    execution_id: string;
    agent_id: string;
    /** on_complete, on_error or on_timeout. */
    event_type: string;
    /** slack | webhook | post_action | callback | endpoint */
    channel: "slack" | "webhook" | "post_action" | "callback" | "endpoint";
    /** Slack channel, webhook name, post-action name, callback URL or endpoint id. */
    target: string;
    /** pending | delivered | failed */
    status: "pending" | "delivered" | "failed";
    attempts: number;
    last_error: null | string;
    created_at: string;
    delivered_at: null | string;
  };
}

/** POST /api/v1/notifications/{id}/retry — Send it again now, with content identical to the first attempt */
export interface PostNotificationsByIdRetry {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    /** The run that caused it. */
    execution_id: string;
    agent_id: string;
    /** on_complete, on_error or on_timeout. */
    event_type: string;
    /** slack | webhook | post_action | callback | endpoint */
    channel: "slack" | "webhook" | "post_action" | "callback" | "endpoint";
    /** Slack channel, webhook name, post-action name, callback URL or endpoint id. */
    target: string;
    /** pending | delivered | failed */
    status: "pending" | "delivered" | "failed";
    attempts: number;
    last_error: null | string;
    created_at: string;
    delivered_at: null | string;
  };
}

/** POST /api/v1/notifications/slack/test — Post one test message to Slack now with the configured bot token (not retried, not logged) */
export interface PostNotificationsSlackTest {
  path: never;
  query: never;
  body: {
    /** A channel name ("#alerts" or "alerts") or id ("C0123ABCD"); default notifications.slack.default_channel. */
    channel?: string;
    /** Shown as written. Default: "Hookline test message: Slack notifications from Hookline reach this channel." */
    text?: string;
  };
  response: {
    ok: true;
    /** The channel it went to. */
    channel: string;
    /** Slack's id of the message. */
    ts: string;
  };
}

/** GET /api/v1/agents/{id}/callback — The agent's callback */
export interface GetAgentsByIdCallback {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    url: string;
    /** Header names; values hidden. */
    headers: Record<string, string>;
    signature: {
      header: "X-Signature";
      timestamp_header: "X-Timestamp";
      algorithm: "hmac-sha256";
    };
  };
}

/** PUT /api/v1/agents/{id}/callback — Set the callback (the signing secret is returned the first time) */
export interface PutAgentsByIdCallback {
  path: {
    id: string;
  };
  query: never;
  body: {
    /** Where the results of every run are POSTed (the payload is in docs/callbacks.md). */
    url: string;
    /** Sent with every callback, e.g. Authorization: a free-form map of any header names. Stored encrypted; values are never shown again. */
    headers?: Record<string, string>;
  };
  response: ({
    url: string;
    /** Header names; values hidden. */
    headers: Record<string, string>;
    signature: {
      header: "X-Signature";
      timestamp_header: "X-Timestamp";
      algorithm: "hmac-sha256";
    };
  }) & ({
    /** The signing secret: returned only when it is created. Verify X-Signature = "sha256=" + hex HMAC-SHA256(secret, "{X-Timestamp}.{body}"). */
    secret?: string;
  });
}

/** DELETE /api/v1/agents/{id}/callback — Remove the callback */
export interface DeleteAgentsByIdCallback {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: void;
}

/** POST /api/v1/agents/{id}/callback/rotate-secret — A new signing secret, shown once */
export interface PostAgentsByIdCallbackRotateSecret {
  path: {
    id: string;
  };
  query: never;
  body: never;
  response: {
    secret: string;
  };
}

/** GET /api/v1/session — The signed-in key and the CSRF token */
export interface GetSession {
  path: never;
  query: never;
  body: never;
  response: {
    key: {
      id: string;
      name: string;
      role: "admin" | "read";
      org_id: null | string;
      env_id: null | string;
    };
    csrf_token: null | string;
    expires_at: null | string;
  };
}

/** POST /api/v1/session — Sign in with an API key (sets the session cookie) */
export interface PostSession {
  path: never;
  query: never;
  body: {
    api_key: string;
  };
  response: {
    key: {
      id: string;
      name: string;
      role: "admin" | "read";
      org_id: null | string;
      env_id: null | string;
    };
    csrf_token: null | string;
    expires_at: null | string;
  };
}

/** DELETE /api/v1/session — Sign out (clears the session cookie) */
export interface DeleteSession {
  path: never;
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/inspector/bins — List request bins, newest first */
export interface GetInspectorBins {
  path: never;
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      name: string;
      /** The capture URL, on the origin this request used. */
      url: string;
      scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
      has_secret: boolean;
      request_count: number;
      last_request_at: null | string;
      created_at: string;
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** POST /api/v1/inspector/bins — Create a request bin */
export interface PostInspectorBins {
  path: never;
  query: never;
  body: {
    /** 1–64 letters, digits, `_` or `-`; the capture URL is /inspect/{name}. Default: "bin_" and 10 random characters. */
    name?: string;
    /** Secret captured signatures are checked with (1–512 characters; for `standard`, the whsec_… secret). Stored encrypted, never shown again. */
    secret?: string;
    /** How captured signatures are checked: auto, standard, x-signature, agentgateway, github, callback. `auto` (default) picks the scheme from each request's headers. */
    scheme?: string;
  };
  response: {
    name: string;
    /** The capture URL, on the origin this request used. */
    url: string;
    scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
    has_secret: boolean;
    request_count: number;
    last_request_at: null | string;
    created_at: string;
  };
}

/** GET /api/v1/inspector/bins/{bin} — Get a request bin */
export interface GetInspectorBinsByBin {
  path: {
    bin: string;
  };
  query: never;
  body: never;
  response: {
    name: string;
    /** The capture URL, on the origin this request used. */
    url: string;
    scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
    has_secret: boolean;
    request_count: number;
    last_request_at: null | string;
    created_at: string;
  };
}

/** PATCH /api/v1/inspector/bins/{bin} — Change a bin's secret or scheme */
export interface PatchInspectorBinsByBin {
  path: {
    bin: string;
  };
  query: never;
  body: {
    /** A new secret, or null to remove it. */
    secret?: null | string;
    /** How captured signatures are checked: auto, standard, x-signature, agentgateway, github, callback. `auto` (default) picks the scheme from each request's headers. */
    scheme?: string;
  };
  response: {
    name: string;
    /** The capture URL, on the origin this request used. */
    url: string;
    scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
    has_secret: boolean;
    request_count: number;
    last_request_at: null | string;
    created_at: string;
  };
}

/** DELETE /api/v1/inspector/bins/{bin} — Delete a bin and its captured requests */
export interface DeleteInspectorBinsByBin {
  path: {
    bin: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/inspector/bins/{bin}/requests — A bin's captured requests, newest first */
export interface GetInspectorBinsByBinRequests {
  path: {
    bin: string;
  };
  query: {
    /** Page size. */
    limit?: number;
    /** Rows to skip. */
    offset?: number;
  };
  body: never;
  response: {
    items: ({
      id: string;
      bin: string;
      method: string;
      /** Path with sub-path and query string, as received. */
      path: string;
      query: Record<string, string>;
      /** Lower-case names, as received; repeated headers joined with ", ". */
      headers: Record<string, string>;
      /** The stored body as UTF-8 text (bytes that are not UTF-8 are replaced). */
      body: string;
      body_base64: null | string;
      /** True when the body was longer than inspector.max_body_bytes and is stored cut. */
      body_truncated: boolean;
      /** Size of the whole body as received. */
      size_bytes: number;
      content_type: null | string;
      remote_address: string;
      received_at: string;
      /** The signature check made at capture time with the bin's secret; null when there was no secret and no signature header. */
      signature: null | {
        /** The scheme checked; `auto` only when no signature header was found to pick one. */
        scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
        valid: boolean;
        /** What is right or wrong, in words a user acts on. */
        reason: string;
      };
    })[];
    total: number;
    limit: number;
    offset: number;
  };
}

/** DELETE /api/v1/inspector/bins/{bin}/requests — Clear a bin's captured requests */
export interface DeleteInspectorBinsByBinRequests {
  path: {
    bin: string;
  };
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/inspector/bins/{bin}/requests/{id} — One captured request */
export interface GetInspectorBinsByBinRequestsById {
  path: {
    bin: string;
    id: string;
  };
  query: never;
  body: never;
  response: {
    id: string;
    bin: string;
    method: string;
    /** Path with sub-path and query string, as received. */
    path: string;
    query: Record<string, string>;
    /** Lower-case names, as received; repeated headers joined with ", ". */
    headers: Record<string, string>;
    /** The stored body as UTF-8 text (bytes that are not UTF-8 are replaced). */
    body: string;
    body_base64: null | string;
    /** True when the body was longer than inspector.max_body_bytes and is stored cut. */
    body_truncated: boolean;
    /** Size of the whole body as received. */
    size_bytes: number;
    content_type: null | string;
    remote_address: string;
    received_at: string;
    /** The signature check made at capture time with the bin's secret; null when there was no secret and no signature header. */
    signature: null | {
      /** The scheme checked; `auto` only when no signature header was found to pick one. */
      scheme: "auto" | "standard" | "x-signature" | "agentgateway" | "github" | "callback";
      valid: boolean;
      /** What is right or wrong, in words a user acts on. */
      reason: string;
    };
  };
}

/** GET /api/v1/stats/overview — Runs, deliveries, latency, queue depth and failing destinations over the last hours */
export interface GetStatsOverview {
  path: never;
  query: {
    /** The window: the last 1–168 hours (default 24). Up to 6 hours in 5-minute buckets, beyond in hourly ones. */
    hours?: number;
  };
  body: never;
  response: {
    from: string;
    /** Now. */
    to: string;
    bucket_seconds: number;
    /** Ended runs, counted by finished_at; oldest bucket first, every bucket present. */
    runs: {
      buckets: ({
        start: string;
        completed: number;
        failed: number;
        timeout: number;
        cancelled: number;
      })[];
      totals: {
        completed: number;
        failed: number;
        timeout: number;
        cancelled: number;
      };
    };
    /** Deliveries of every channel (endpoints and notifications), counted by the time of their final outcome; latency from attempt durations. */
    deliveries: {
      buckets: ({
        start: string;
        delivered: number;
        failed: number;
        p50_ms: null | number;
        p95_ms: null | number;
        p99_ms: null | number;
      })[];
      totals: {
        delivered: number;
        failed: number;
      };
      latency_ms: {
        p50: null | number;
        p95: null | number;
        p99: null | number;
        /** Attempts measured: the newest 20000 in the window at most. */
        samples: number;
      };
    };
    /** What is waiting now. */
    queue: {
      runs_queued: number;
      runs_running: number;
      deliveries_pending: number;
      deliveries_due: number;
      oldest_pending_at: null | string;
    };
    /** Failing first (disabled, longest failure streak, most failures, lowest success rate); at most 200. */
    endpoints: ({
      id: string;
      url: string;
      enabled: boolean;
      disabled_reason: null | string;
      consecutive_failures: number;
      delivered: number;
      failed: number;
      success_rate: null | number;
    })[];
    /** Failing first (disabled, most failures, lowest success rate); at most 200. last_error: the newest failure in the window. */
    post_actions: ({
      id: string;
      name: string;
      enabled: boolean;
      delivered: number;
      failed: number;
      success_rate: null | number;
      last_error: null | string;
      last_failed_at: null | string;
    })[];
  };
}

/** GET /api/v1/settings — The running configuration, without secrets */
export interface GetSettings {
  path: never;
  query: never;
  body: never;
  response: {
    /** The server's version. */
    version: string;
    store: "sqlite" | "postgres";
    public_url: null | string;
    slack: {
      enabled: boolean;
      /** A bot token is set. */
      configured: boolean;
      /** env: from HOOKLINE_SLACK_BOT_TOKEN. */
      token_source: null | "config" | "env";
      default_channel: null | string;
      api_base_url: string;
      templates_dir: null | string;
    };
    named_webhooks: ({
      name: string;
      /** The origin only. */
      url: string;
      events: string[];
    })[];
    delivery: {
      allow_networks: string[];
      /** What the SSRF guard refuses. */
      blocked: string;
      /** Default request timeout of endpoints and post-actions. */
      timeout_seconds: number;
      /** Seconds before each retry of a failed endpoint delivery. */
      retry_schedule: number[];
    };
    inspector: {
      enabled: boolean;
      max_requests_per_bin: number;
      max_body_bytes: number;
    };
  };
}

/** POST /api/v1/portal/sessions — Open a customer-portal link showing one tenant's endpoints (installation or org admin keys) */
export interface PostPortalSessions {
  path: never;
  query: never;
  body: {
    org_id: string;
    env_id: string;
    /** Patterns (as endpoints use: `invoice.*`, `order.paid`, `*`) the customer may subscribe to; default: any. */
    event_types?: string[];
    /** The customer may look but change nothing. */
    read_only?: boolean;
    /** How long the link works: a duration up to `24h`. */
    ttl?: string;
  };
  response: {
    /** The portal page with the token in its fragment (`#token=…`): open it, or put it in an iframe. */
    url: string;
    /** The portal token itself (hl_ps_…), a bearer credential for the portal routes only. */
    token: string;
    expires_at: string;
  };
}

/** GET /api/v1/portal/context — The portal session's tenant, brand and limits (with an API key: the key's tenant, unlimited) */
export interface GetPortalContext {
  path: never;
  query: never;
  body: never;
  response: {
    org: {
      id: string;
      name: string;
    };
    env: {
      id: string;
      name: string;
    };
    brand: {
      color: null | string;
      logo_url: null | string;
    };
    event_types: null | string[];
    read_only: boolean;
    expires_at: null | string;
  };
}

/** DELETE /api/v1/portal/session — Log the portal session out: its token is refused from now on (portal tokens) */
export interface DeletePortalSession {
  path: never;
  query: never;
  body: never;
  response: void;
}

/** GET /api/v1/event-types — The event types endpoints can subscribe to, with descriptions and example envelopes */
export interface GetEventTypes {
  path: never;
  query: never;
  body: never;
  response: {
    items: ({
      type: string;
      description: string;
      /** Emitted by Hookline itself rather than published through the API. */
      builtin: boolean;
      /** An example envelope as endpoints receive it. */
      example: Record<string, unknown>;
    })[];
  };
}

/** Every operation by "METHOD /path". */
export interface Operations {
  "GET /healthz": GetHealthz;
  "GET /readyz": GetReadyz;
  "GET /metrics": GetMetrics;
  "GET /api/v1/webhooks/endpoints": GetWebhooksEndpoints;
  "POST /api/v1/webhooks/endpoints": PostWebhooksEndpoints;
  "GET /api/v1/webhooks/endpoints/{id}": GetWebhooksEndpointsById;
  "PATCH /api/v1/webhooks/endpoints/{id}": PatchWebhooksEndpointsById;
  "DELETE /api/v1/webhooks/endpoints/{id}": DeleteWebhooksEndpointsById;
  "POST /api/v1/webhooks/endpoints/{id}/enable": PostWebhooksEndpointsByIdEnable;
  "POST /api/v1/webhooks/endpoints/{id}/disable": PostWebhooksEndpointsByIdDisable;
  "POST /api/v1/webhooks/endpoints/{id}/rotate-secret": PostWebhooksEndpointsByIdRotateSecret;
  "POST /api/v1/webhooks/endpoints/{id}/test": PostWebhooksEndpointsByIdTest;
  "POST /api/v1/webhooks/endpoints/{id}/replay": PostWebhooksEndpointsByIdReplay;
  "POST /api/v1/events": PostEvents;
  "GET /api/v1/events/{id}": GetEventsById;
  "GET /api/v1/deliveries": GetDeliveries;
  "GET /api/v1/deliveries/{id}": GetDeliveriesById;
  "POST /api/v1/deliveries/{id}/retry": PostDeliveriesByIdRetry;
  "GET /api/v1/keys": GetKeys;
  "POST /api/v1/keys": PostKeys;
  "DELETE /api/v1/keys/{id}": DeleteKeysById;
  "GET /api/v1/orgs": GetOrgs;
  "POST /api/v1/orgs": PostOrgs;
  "GET /api/v1/orgs/{org_id}": GetOrgsByOrgId;
  "PATCH /api/v1/orgs/{org_id}": PatchOrgsByOrgId;
  "DELETE /api/v1/orgs/{org_id}": DeleteOrgsByOrgId;
  "GET /api/v1/orgs/{org_id}/envs": GetOrgsByOrgIdEnvs;
  "POST /api/v1/orgs/{org_id}/envs": PostOrgsByOrgIdEnvs;
  "GET /api/v1/orgs/{org_id}/envs/{env_id}": GetOrgsByOrgIdEnvsByEnvId;
  "DELETE /api/v1/orgs/{org_id}/envs/{env_id}": DeleteOrgsByOrgIdEnvsByEnvId;
  "GET /api/v1/crews": GetCrews;
  "POST /api/v1/crews": PostCrews;
  "GET /api/v1/crews/{id}": GetCrewsById;
  "DELETE /api/v1/crews/{id}": DeleteCrewsById;
  "GET /api/v1/agents": GetAgents;
  "POST /api/v1/agents": PostAgents;
  "GET /api/v1/agents/{id}": GetAgentsById;
  "PATCH /api/v1/agents/{id}": PatchAgentsById;
  "DELETE /api/v1/agents/{id}": DeleteAgentsById;
  "POST /api/v1/agents/{id}/webhook-secret/rotate": PostAgentsByIdWebhookSecretRotate;
  "POST /api/v1/agents/reload": PostAgentsReload;
  "GET /api/v1/runs": GetRuns;
  "GET /api/v1/agents/{id}/runs": GetAgentsByIdRuns;
  "POST /api/v1/agents/{id}/runs": PostAgentsByIdRuns;
  "GET /api/v1/runs/{id}": GetRunsById;
  "POST /api/v1/runs/{id}/cancel": PostRunsByIdCancel;
  "POST /api/v1/runs/report": PostRunsReport;
  "GET /api/v1/runs/{id}/logs": GetRunsByIdLogs;
  "GET /api/v1/agents/{id}/logs": GetAgentsByIdLogs;
  "POST /api/v1/webhooks/{crewId}/{agentId}/trigger": PostWebhooksByCrewIdByAgentIdTrigger;
  "POST /api/v1/webhooks/{crewId}/{agentId}/{name}": PostWebhooksByCrewIdByAgentIdByName;
  "GET /api/v1/schedules": GetSchedules;
  "POST /api/v1/schedules": PostSchedules;
  "GET /api/v1/agents/{id}/schedules": GetAgentsByIdSchedules;
  "GET /api/v1/schedules/{id}": GetSchedulesById;
  "PATCH /api/v1/schedules/{id}": PatchSchedulesById;
  "DELETE /api/v1/schedules/{id}": DeleteSchedulesById;
  "POST /api/v1/schedules/{id}/run": PostSchedulesByIdRun;
  "GET /api/v1/agents/{id}/webhook-triggers": GetAgentsByIdWebhookTriggers;
  "POST /api/v1/agents/{id}/webhook-triggers": PostAgentsByIdWebhookTriggers;
  "GET /api/v1/webhook-triggers": GetWebhookTriggers;
  "GET /api/v1/webhook-triggers/{id}": GetWebhookTriggersById;
  "PATCH /api/v1/webhook-triggers/{id}": PatchWebhookTriggersById;
  "DELETE /api/v1/webhook-triggers/{id}": DeleteWebhookTriggersById;
  "POST /api/v1/webhook-triggers/{id}/rotate-secret": PostWebhookTriggersByIdRotateSecret;
  "GET /api/v1/post-actions": GetPostActions;
  "POST /api/v1/post-actions": PostPostActions;
  "GET /api/v1/post-actions/{id}": GetPostActionsById;
  "PATCH /api/v1/post-actions/{id}": PatchPostActionsById;
  "DELETE /api/v1/post-actions/{id}": DeletePostActionsById;
  "GET /api/v1/post-actions/{id}/bindings": GetPostActionsByIdBindings;
  "POST /api/v1/post-actions/{id}/bindings": PostPostActionsByIdBindings;
  "GET /api/v1/post-actions/{id}/bindings/{bindingId}": GetPostActionsByIdBindingsByBindingId;
  "PATCH /api/v1/post-actions/{id}/bindings/{bindingId}": PatchPostActionsByIdBindingsByBindingId;
  "DELETE /api/v1/post-actions/{id}/bindings/{bindingId}": DeletePostActionsByIdBindingsByBindingId;
  "GET /api/v1/post-actions/{id}/runs": GetPostActionsByIdRuns;
  "POST /api/v1/post-actions/preview": PostPostActionsPreview;
  "GET /api/v1/triggers/{type}/{id}/post-actions": GetTriggersByTypeByIdPostActions;
  "GET /api/v1/notifications": GetNotifications;
  "GET /api/v1/notifications/{id}": GetNotificationsById;
  "POST /api/v1/notifications/{id}/retry": PostNotificationsByIdRetry;
  "POST /api/v1/notifications/slack/test": PostNotificationsSlackTest;
  "GET /api/v1/agents/{id}/callback": GetAgentsByIdCallback;
  "PUT /api/v1/agents/{id}/callback": PutAgentsByIdCallback;
  "DELETE /api/v1/agents/{id}/callback": DeleteAgentsByIdCallback;
  "POST /api/v1/agents/{id}/callback/rotate-secret": PostAgentsByIdCallbackRotateSecret;
  "GET /api/v1/session": GetSession;
  "POST /api/v1/session": PostSession;
  "DELETE /api/v1/session": DeleteSession;
  "GET /api/v1/inspector/bins": GetInspectorBins;
  "POST /api/v1/inspector/bins": PostInspectorBins;
  "GET /api/v1/inspector/bins/{bin}": GetInspectorBinsByBin;
  "PATCH /api/v1/inspector/bins/{bin}": PatchInspectorBinsByBin;
  "DELETE /api/v1/inspector/bins/{bin}": DeleteInspectorBinsByBin;
  "GET /api/v1/inspector/bins/{bin}/requests": GetInspectorBinsByBinRequests;
  "DELETE /api/v1/inspector/bins/{bin}/requests": DeleteInspectorBinsByBinRequests;
  "GET /api/v1/inspector/bins/{bin}/requests/{id}": GetInspectorBinsByBinRequestsById;
  "GET /api/v1/stats/overview": GetStatsOverview;
  "GET /api/v1/settings": GetSettings;
  "POST /api/v1/portal/sessions": PostPortalSessions;
  "GET /api/v1/portal/context": GetPortalContext;
  "DELETE /api/v1/portal/session": DeletePortalSession;
  "GET /api/v1/event-types": GetEventTypes;
}
