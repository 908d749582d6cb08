/**
 * Every error code the API answers with, each once: its HTTP status and what it means.
 * Domain code throws by name (`new UserError('invalid_cron', …)`) and never picks a status;
 * api/ looks the status up here. docs/api.md's table of error codes is generated from this
 * list (`npm run docs:errors`), so the two cannot disagree.
 *
 * A name is the wire code, except for the few rows whose code is shared with another status
 * (`wire`): those keep the status clients have always seen for that situation.
 */
export interface ErrorEntry {
  readonly status: 400 | 401 | 403 | 404 | 408 | 409 | 413 | 414 | 415 | 422 | 429 | 431 | 500 | 502 | 503;
  /** The `code` on the wire when it is not the entry's name. */
  readonly wire?: string;
  /** For docs/api.md: when a client sees it and what to do (Markdown). */
  readonly meaning: string;
}

export const ERRORS = {
  invalid_json: { status: 400, meaning: 'the body is not valid JSON' },
  empty_body: {
    status: 400,
    meaning: 'the route needs a JSON body and the request had none (an empty body is no body; see [Request bodies](#request-bodies))',
  },
  payload_too_deep: { status: 400, meaning: 'the JSON body nests arrays and objects more than 256 levels deep' },
  invalid_content_length: { status: 400, meaning: '`Content-Length` does not match the body, or is not a number' },
  bad_url: { status: 400, meaning: 'the path or query string has malformed percent-encoding' },
  unknown_field: {
    status: 400,
    meaning:
      'the body has a field the route does not take; `details` has `field` (its path, `body.auth.tokn`), `suggestion` (the nearest known field, or null) and `known` (the fields at that level); see [unknown fields](#unknown-fields)',
  },
  bad_request: { status: 400, meaning: "another client error raised by the HTTP layer; it keeps that layer's 4xx status" },
  unauthorized: { status: 401, meaning: 'no API key, or an unknown or revoked one; an ended dashboard session; a trigger request without a valid signature' },
  timestamp_out_of_window: {
    status: 401,
    meaning:
      "a trigger request's signed timestamp (`X-Timestamp`, `webhook-timestamp`, Grafana's) is more than 5 minutes from the server's clock: a replay, or a sender's clock that is off ([webhook triggers](webhook-triggers.md))",
  },
  forbidden: { status: 403, meaning: 'a read-only key on a route that changes something' },
  csrf_failed: {
    status: 403,
    meaning: "a change made with the dashboard's session cookie without the session's `X-CSRF-Token` ([dashboard](dashboard.md#signing-in))",
  },
  trigger_disabled: {
    status: 403,
    meaning: 'a correctly signed request to a webhook trigger that is disabled; enable it with `PATCH /api/v1/webhook-triggers/{id}`',
  },
  not_found: { status: 404, meaning: 'nothing with this id (endpoint, delivery, agent, run, API key, bin, …); the message names what was looked for' },
  route_not_found: { status: 404, meaning: 'no such route (the message names the method and path)' },
  request_timeout: { status: 408, meaning: 'the request (headers and body) did not arrive in time' },
  conflict: { status: 409, meaning: 'a crew, agent, trigger name, post-action binding or event id that already exists' },
  crew_not_empty: { status: 409, meaning: 'deleting a crew that still has agents; delete or move them first' },
  bin_exists: { status: 409, meaning: 'an Inspector bin of that name exists' },
  endpoint_disabled: { status: 409, meaning: 'test, replay or retry on a disabled endpoint; enable it first' },
  endpoint_deleted: { status: 409, meaning: 'retry of a delivery whose endpoint was deleted' },
  not_retryable: { status: 409, meaning: 'retry of a notification whose template failed when its run ended (nothing was rendered to send)' },
  slack_not_configured: { status: 409, meaning: 'the Slack test message without a bot token, or with Slack turned off; the message says what to set' },
  managed_by_file: { status: 409, meaning: 'PATCH or DELETE of an agent defined by an `AGENT.md` file; edit the file instead' },
  schedule_agent_deleted: { status: 409, wire: 'unknown_agent', meaning: 'running a schedule now whose agent was deleted' },
  previous_run_active: { status: 409, meaning: 'running a schedule now while its previous run is still active; a schedule never overlaps its runs' },
  run_elsewhere: { status: 409, meaning: "cancelling a run that another Hookline process is running; cancel it through that process's API" },
  run_finished: { status: 409, meaning: 'cancelling a run that already ended' },
  body_too_large: { status: 413, meaning: 'the body is larger than `server.body_limit_bytes` (default 1 MiB)' },
  url_too_long: { status: 414, meaning: 'a path segment is longer than 100 characters' },
  unsupported_media_type: { status: 415, meaning: 'a body that is not `application/json`' },
  validation_failed: {
    status: 422,
    meaning:
      'the body or query string does not match the schema: a missing field, a wrong type, an out-of-range value; or an unknown query parameter. See `details`.',
  },
  invalid_url: { status: 422, meaning: 'a destination URL not absolute, not http(s), or containing credentials' },
  ssrf_blocked: { status: 422, meaning: 'a destination URL points at a refused address or name ([SSRF guard](endpoints-and-signing.md#ssrf-guard))' },
  invalid_event_type: { status: 422, meaning: 'malformed event type or subscription pattern, a reserved namespace in a publish, or an unknown built-in type' },
  invalid_header: {
    status: 422,
    meaning: 'custom header with a bad name, a name Hookline or the HTTP client sets itself, a name given twice, or CR/LF/NUL in the value',
  },
  out_of_range: {
    status: 422,
    meaning:
      "a number outside its range: a post-action's `timeout_seconds` (1–300) or `retry_count` (0–5), where `details` has `field`, `min`, `max`, `default`; or the overview's `hours`",
  },
  invalid_template: { status: 422, meaning: 'a template that does not compile; `details` has `field`, `line`, `column` ([templates](templates.md))' },
  invalid_notifications: {
    status: 422,
    meaning:
      "an agent's `notifications` rules do not have the expected shape, or name a webhook that is not configured; `details.field` is the spot (`notifications.on_error[0].target`)",
  },
  invalid_auth: { status: 422, meaning: "a post-action's `auth` missing a field its type needs, or carrying one it does not take" },
  unknown_trigger: { status: 422, meaning: "a binding's `trigger_id` names no webhook trigger, agent or schedule" },
  invalid_retry_schedule: { status: 422, meaning: 'a retry delay outside 1 s–7 d, or one that cannot be parsed' },
  invalid_time: {
    status: 422,
    meaning: "replay `since`/`until` is neither ISO-8601 nor epoch milliseconds; a run's `finished_at` is earlier than its `started_at`",
  },
  invalid_window: { status: 422, meaning: 'replay `since` is not earlier than `until`' },
  invalid_id: { status: 422, meaning: 'a crew or agent id that is not 1–63 lower-case letters, digits, `-` or `_`' },
  invalid_name: { status: 422, meaning: 'a webhook trigger or Inspector bin name that is not allowed; the message gives the rule' },
  invalid_secret: { status: 422, meaning: 'a webhook, trigger or bin secret that is too short, too long, or not in the form its scheme needs' },
  confirmation_required: {
    status: 409,
    meaning: 'deleting an org or environment erases everything in it: repeat the request with `?confirm=` and its id ([tenants](tenants.md#erasure))',
  },
  default_tenant: { status: 409, meaning: "the installation's default org, or an org's default environment, cannot be deleted" },
  invalid_scheme: { status: 422, meaning: "an Inspector bin's `scheme` that is not one of the known schemes" },
  invalid_runner: { status: 422, meaning: "an agent's `runner` that is not one of the known runners" },
  invalid_runner_config: { status: 422, meaning: "an agent's `runner_config` that its runner cannot use, or a runner change without a new `runner_config`" },
  unknown_crew: { status: 422, meaning: "an agent's `crew_id` names no crew; create it with `POST /api/v1/crews`" },
  unknown_agent: { status: 422, meaning: "a schedule's `agent_id` names no agent" },
  invalid_cron: { status: 422, meaning: "a schedule's `cron` is not a cron expression, or never fires again" },
  invalid_timezone: { status: 422, meaning: "a schedule's `timezone` is not a known IANA time zone" },
  invalid_misfire_grace: { status: 422, meaning: "a schedule's `misfire_grace_seconds` outside 0–86400" },
  no_channel: {
    status: 422,
    meaning: 'the Slack test message without `channel` and without a default channel (or with an incoming-webhook URL as the default)',
  },
  invalid_channel: { status: 422, meaning: "the Slack test message's `channel` is not one channel name or id" },
  rate_limited: { status: 429, meaning: "an agent's triggers came faster than its `rate_limit_per_minute`; retry after `Retry-After` seconds" },
  quota_events_per_second: {
    status: 429,
    meaning: "the tenant's org published faster than its `quotas.events_per_second` ([tenants](tenants.md#quotas)); retry after `Retry-After` seconds",
  },
  quota_endpoints: {
    status: 429,
    meaning: "the tenant already has its org's `quotas.endpoints` endpoints ([tenants](tenants.md#quotas)); delete one or raise the quota",
  },
  quota_agents: {
    status: 429,
    meaning: "the tenant already has its org's `quotas.agents` agents ([tenants](tenants.md#quotas)); delete one or raise the quota",
  },
  quota_stored_bytes: {
    status: 429,
    meaning: "the tenant's stored events reached its org's `quotas.stored_bytes` ([tenants](tenants.md#quotas)); wait for retention or raise the quota",
  },
  headers_too_large: { status: 431, meaning: 'the request headers are larger than 16 KB' },
  internal: { status: 500, meaning: 'a bug. The server log has the details, the response does not.' },
  slack_error: { status: 502, meaning: "Slack refused the test message; the message has Slack's error code (`Slack refused the message: channel_not_found`)" },
  slack_unreachable: { status: 502, meaning: 'Slack did not answer the test message, or answered with an HTTP error' },
  slack_api_blocked: {
    status: 502,
    wire: 'ssrf_blocked',
    meaning:
      'the Slack test message: `notifications.slack.api_base_url` points at an address the SSRF guard refuses (add it to `delivery.allow_networks` if intended)',
  },
  database_unavailable: {
    status: 503,
    meaning:
      'the database cannot be reached (PostgreSQL restarting, connections refused). Send the request again after `Retry-After` (2 s). If the connection dropped while it was being committed it may have landed: give events an `id` and triggers an `Idempotency-Key`, and a repeat of one that landed is a no-op',
  },
  storage_full: { status: 503, meaning: "the embedded SQLite database's disk is full. Nothing was stored; free disk space. `Retry-After: 30`" },
  dashboard_not_built: { status: 503, meaning: 'the dashboard was requested but its files were not built (`npm run build`)' },
} as const satisfies Record<string, ErrorEntry>;

/** The name of a catalogue entry: the only thing a UserError can be thrown with. */
export type ErrorName = keyof typeof ERRORS;

/** A `code` clients can see. */
export type WireCode = { [K in ErrorName]: (typeof ERRORS)[K] extends { wire: infer W extends string } ? W : K }[ErrorName];

export const wireCode = (name: ErrorName): WireCode => ((ERRORS[name] as ErrorEntry).wire ?? name) as WireCode;
