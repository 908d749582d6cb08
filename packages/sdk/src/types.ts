/**
 * The API's request and response types, named. All are taken from the OpenAPI-derived
 * ./generated/api-types.ts, so they follow the server's schemas.
 */
import type { NotificationRule, NotificationRules, Operations } from './generated/api-types.js';

type Res<K extends keyof Operations> = Operations[K]['response'];
type Body<K extends keyof Operations> = Exclude<Operations[K]['body'], undefined>;
type Query<K extends keyof Operations> = Operations[K]['query'];

export type { NotificationRule, NotificationRules, Operations };

// Endpoints, events, deliveries
export type Endpoint = Res<'GET /api/v1/webhooks/endpoints/{id}'>;
export type EndpointWithSecret = Res<'POST /api/v1/webhooks/endpoints/{id}/rotate-secret'>;
/** An endpoint as created: with its secret, and `warnings` when a subscribed type is not known yet. */
export type EndpointCreated = Res<'POST /api/v1/webhooks/endpoints'>;
/** An endpoint as updated, with `warnings` when a subscribed type is not known yet. */
export type EndpointUpdated = Res<'PATCH /api/v1/webhooks/endpoints/{id}'>;
/** Advice about a saved endpoint, e.g. `{code: 'unknown_event_type', field: 'events[1]', message}`. */
export type SaveWarning = NonNullable<EndpointCreated['warnings']>[number];
export type EndpointCreate = Body<'POST /api/v1/webhooks/endpoints'>;
export type EndpointUpdate = Body<'PATCH /api/v1/webhooks/endpoints/{id}'>;
export type SigningScheme = NonNullable<EndpointCreate['signing_scheme']>;
export type EndpointRotateSecret = Body<'POST /api/v1/webhooks/endpoints/{id}/rotate-secret'>;
export type EndpointReplay = Body<'POST /api/v1/webhooks/endpoints/{id}/replay'>;
export type EventPublish = Body<'POST /api/v1/events'>;
export type Published = Res<'POST /api/v1/events'>;
export type Delivery = Res<'POST /api/v1/deliveries/{id}/retry'>;
export type DeliveryDetail = Res<'GET /api/v1/deliveries/{id}'>;
export type DeliveryStatus = Delivery['status'];
export type DeliveryAttempt = DeliveryDetail['history'][number];
export type DeliveryListParams = Query<'GET /api/v1/deliveries'>;

// Keys and the dashboard's session
export type ApiKey = Res<'GET /api/v1/keys'>['items'][number];
export type ApiKeyRole = ApiKey['role'];
/** The dashboard's sign-in (`/api/v1/session`): the key, and the CSRF token of a cookie session. */
export type Session = Res<'GET /api/v1/session'>;
export type ApiKeyWithSecret = Res<'POST /api/v1/keys'>;
/** `org_id` (and `env_id`) limit the new key to that org (or one of its environments). */
export type ApiKeyCreate = Body<'POST /api/v1/keys'>;

// Orgs and environments (docs/tenants.md)
export type Org = Res<'GET /api/v1/orgs/{org_id}'>;
export type OrgSettings = Org['settings'];
/** `POST /api/v1/orgs` answers with the org and its first environment. */
export type OrgWithEnvironments = Res<'POST /api/v1/orgs'>;
export type OrgCreate = Body<'POST /api/v1/orgs'>;
export type OrgUpdate = Body<'PATCH /api/v1/orgs/{org_id}'>;
export type Environment = Res<'GET /api/v1/orgs/{org_id}/envs/{env_id}'>;
export type EnvironmentCreate = Body<'POST /api/v1/orgs/{org_id}/envs'>;
/** `confirm`: the id being deleted, needed when it holds data (everything in it is erased). */
export type TenantDeleteParams = Query<'DELETE /api/v1/orgs/{org_id}'>;

// Customer portal (docs/portal.md)
export type PortalSessionCreate = Body<'POST /api/v1/portal/sessions'>;
/** A portal link: `url` carries the token in its fragment. */
export type PortalSession = Res<'POST /api/v1/portal/sessions'>;
export type PortalContext = Res<'GET /api/v1/portal/context'>;
export type EventTypeEntry = Res<'GET /api/v1/event-types'>['items'][number];

// Crews, agents, runs
export type Crew = Res<'GET /api/v1/crews/{id}'>;
export type Agent = Res<'GET /api/v1/agents/{id}'>;
/** `POST /api/v1/agents` answers with the inbound secret, shown only here. */
export type AgentWithSecret = Res<'POST /api/v1/agents'>;
export type AgentFilesReport = Res<'POST /api/v1/agents/reload'>;
export type RunnerKind = Agent['runner'];
/** Runner settings as the API shows them: secret values (env, headers, api_key) as `********`. */
export type RunnerConfigView = Agent['runner_config'];
export type Run = Res<'GET /api/v1/runs/{id}'>;
export type RunStatus = Run['status'];
export type TriggerType = Run['trigger_type'];
/** `POST /api/v1/runs/report` adds whether this `external_id` was reported before. */
export type ReportedRun = Res<'POST /api/v1/runs/report'>;
export type RunLogs = Res<'GET /api/v1/runs/{id}/logs'>;
export type RunLogLine = RunLogs['items'][number];
export type CrewCreate = Body<'POST /api/v1/crews'>;
export type AgentCreate = Body<'POST /api/v1/agents'> & { notifications?: NotificationRules | null };
export type AgentUpdate = Omit<Body<'PATCH /api/v1/agents/{id}'>, 'notifications'> & { notifications?: NotificationRules | null };
export type AgentListParams = Query<'GET /api/v1/agents'>;
export type RunListParams = Query<'GET /api/v1/runs'>;
export type RunReport = Body<'POST /api/v1/runs/report'>;
export type RunLogParams = Query<'GET /api/v1/runs/{id}/logs'>;

// Callbacks
/** With `secret` when `set` created it (shown only then). */
export type Callback = Res<'PUT /api/v1/agents/{id}/callback'>;
export type CallbackSet = Body<'PUT /api/v1/agents/{id}/callback'>;

// Schedules
export type Schedule = Res<'GET /api/v1/schedules/{id}'>;
export type ScheduleCreate = Body<'POST /api/v1/schedules'>;
export type ScheduleUpdate = Body<'PATCH /api/v1/schedules/{id}'>;
export type ScheduleListParams = Query<'GET /api/v1/schedules'>;

// Named webhook triggers
export type WebhookTrigger = Res<'GET /api/v1/webhook-triggers/{id}'>;
export type WebhookTriggerWithSecret = Res<'POST /api/v1/agents/{id}/webhook-triggers'>;
export type WebhookTriggerScheme = WebhookTrigger['scheme'];
export type WebhookTriggerCreate = Body<'POST /api/v1/agents/{id}/webhook-triggers'>;
export type WebhookTriggerUpdate = Body<'PATCH /api/v1/webhook-triggers/{id}'>;
export type WebhookTriggerRotateSecret = Body<'POST /api/v1/webhook-triggers/{id}/rotate-secret'>;
export type WebhookTriggerListParams = Query<'GET /api/v1/webhook-triggers'>;

// Post-actions and bindings
export type PostAction = Res<'GET /api/v1/post-actions/{id}'>;
export type PostActionCreate = Body<'POST /api/v1/post-actions'>;
export type PostActionUpdate = Body<'PATCH /api/v1/post-actions/{id}'>;
export type PostActionRun = Res<'GET /api/v1/post-actions/{id}/runs'>['items'][number];
export type PostActionPreviewRequest = Body<'POST /api/v1/post-actions/preview'>;
export type PostActionPreview = Res<'POST /api/v1/post-actions/preview'>;
/** A template mistake at one field: `url`, `headers.<Name>` or `body_template`. */
export type TemplateProblem = PostActionPreview['errors'][number];
export type Binding = Res<'GET /api/v1/post-actions/{id}/bindings/{bindingId}'>;
export type BindingCreate = Body<'POST /api/v1/post-actions/{id}/bindings'>;
export type BindingUpdate = Body<'PATCH /api/v1/post-actions/{id}/bindings/{bindingId}'>;
export type TriggerBinding = Res<'GET /api/v1/triggers/{type}/{id}/post-actions'>['items'][number];
export type BindingTriggerType = Operations['GET /api/v1/triggers/{type}/{id}/post-actions']['path']['type'];

// Notifications
export type Notification = Res<'GET /api/v1/notifications/{id}'>;
export type NotificationListParams = Query<'GET /api/v1/notifications'>;
export type SlackTestRequest = Body<'POST /api/v1/notifications/slack/test'>;
export type SlackTestResult = Res<'POST /api/v1/notifications/slack/test'>;

// Inspector
export type InspectorBin = Res<'GET /api/v1/inspector/bins/{bin}'>;
export type InspectorBinCreate = Body<'POST /api/v1/inspector/bins'>;
export type InspectorBinUpdate = Body<'PATCH /api/v1/inspector/bins/{bin}'>;
export type CapturedRequest = Res<'GET /api/v1/inspector/bins/{bin}/requests/{id}'>;
export type SignatureCheck = NonNullable<CapturedRequest['signature']>;
export type InspectorBinScheme = InspectorBin['scheme'];

// Stats and settings
export type OverviewStats = Res<'GET /api/v1/stats/overview'>;
export type OverviewParams = Query<'GET /api/v1/stats/overview'>;
export type EndpointHealth = OverviewStats['endpoints'][number];
export type PostActionHealth = OverviewStats['post_actions'][number];
export type Settings = Res<'GET /api/v1/settings'>;
