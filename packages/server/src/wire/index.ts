/**
 * The shapes the API answers with, one TypeBox schema per resource: the routes declare them as
 * response schemas (so serialisation and the OpenAPI document follow them), and the modules
 * that build them take their types from here (`XView = Static<typeof X>`). Imports nothing
 * but vocabulary from config/ and crypto/, so any module may use it.
 */
import type { Static } from '@sinclair/typebox';
import type * as agents from './agents.js';
import type * as endpoints from './endpoints.js';
import type * as inspector from './inspector.js';
import type * as keys from './keys.js';
import type * as notifications from './notifications.js';
import type * as portal from './portal.js';
import type * as postActions from './post-actions.js';
import type * as operations from './operations.js';
import type * as runs from './runs.js';
import type * as stats from './stats.js';
import type * as tenants from './tenants.js';
import type * as triggers from './triggers.js';

export { ErrorBody, Nullable, OneOf, Paginated } from './common.js';
export * from './vocabulary.js';
export { Agent, AgentFilesReport, AgentWithSecret, Callback, CallbackSaved, Crew, NotificationRulesView, RunnerSettingsView, WebhookSecret } from './agents.js';
export {
  Attempt,
  Delivery,
  DeliveryDetail,
  Endpoint,
  EndpointCreated,
  EndpointUpdated,
  EndpointWithSecret,
  Envelope,
  Published,
  SaveWarning,
} from './endpoints.js';
export { BIN_SCHEMES, Bin, CapturedRequest, SignatureCheck } from './inspector.js';
export { Key, KeyWithSecret, Session } from './keys.js';
export { Notification } from './notifications.js';
export { Liveness, NotReady, Ready, Settings } from './operations.js';
export { EventTypeEntry, PortalContext, PortalSessionCreated } from './portal.js';
export { Binding, PostAction, PostActionRun, Preview, PreviewProblem, TriggerBinding } from './post-actions.js';
export { AgentLogs, ReportedRun, Run, RunLogLine, RunLogs, RunStatus } from './runs.js';
export { EndpointHealth, HEALTH_LIMIT, LATENCY_SAMPLE_LIMIT, Overview, PostActionHealth } from './stats.js';
export { Env, Org, OrgSettings } from './tenants.js';
export { Schedule, TriggerSecret, WebhookTrigger, WebhookTriggerWithSecret } from './triggers.js';

export type CrewView = Static<typeof agents.Crew>;
export type AgentView = Static<typeof agents.Agent>;
export type AgentFilesReportView = Static<typeof agents.AgentFilesReport>;
export type RunnerSettingsViewType = Static<typeof agents.RunnerSettingsView>;
export type NotificationRulesViewType = Static<typeof agents.NotificationRulesView>;
export type CallbackView = Static<typeof agents.Callback>;
export type EndpointView = Static<typeof endpoints.Endpoint>;
export type SaveWarningView = Static<typeof endpoints.SaveWarning>;
export type EnvelopeView = Static<typeof endpoints.Envelope>;
export type PublishedView = Static<typeof endpoints.Published>;
export type BinView = Static<typeof inspector.Bin>;
export type CapturedRequestView = Static<typeof inspector.CapturedRequest>;
export type SignatureCheckView = Static<typeof inspector.SignatureCheck>;
export type KeyView = Static<typeof keys.Key>;
export type SessionView = Static<typeof keys.Session>;
export type NotificationView = Static<typeof notifications.Notification>;
export type PostActionView = Static<typeof postActions.PostAction>;
export type BindingView = Static<typeof postActions.Binding>;
export type PostActionRunView = Static<typeof postActions.PostActionRun>;
export type PreviewView = Static<typeof postActions.Preview>;
export type PreviewProblemView = Static<typeof postActions.PreviewProblem>;
export type RunView = Static<typeof runs.Run>;
export type RunLogLineView = Static<typeof runs.RunLogLine>;
export type WebhookTriggerView = Static<typeof triggers.WebhookTrigger>;
export type ScheduleView = Static<typeof triggers.Schedule>;
export type OverviewView = Static<typeof stats.Overview>;
export type EndpointHealthView = Static<typeof stats.EndpointHealth>;
export type PostActionHealthView = Static<typeof stats.PostActionHealth>;
export type SettingsView = Static<typeof operations.Settings>;
export type OrgView = Static<typeof tenants.Org>;
export type EnvView = Static<typeof tenants.Env>;
export type PortalContextView = Static<typeof portal.PortalContext>;
export type EventTypeEntryView = Static<typeof portal.EventTypeEntry>;
