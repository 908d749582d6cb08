/**
 * Row shapes as stored, private to store/: booleans are 0/1 integers and JSON is text, so both
 * dialects share one code path. The rest of the server sees values.ts's records; the record
 * groups convert (rows.ts).
 */
import type {
  AgentRecord,
  ApiKeyRecord,
  AttemptRecord,
  CrewRecord,
  EnvRecord,
  OrgRecord,
  DeliveryRecord,
  EndpointRecord,
  EventRecord,
  InspectorBinRecord,
  InspectorRequestRecord,
  PostActionBindingRecord,
  PostActionRecord,
  RunLogRecord,
  RunRecord,
  ScheduleRecord,
  WebhookTriggerRecord,
} from './values.js';

/** A 0/1 integer column. */
type Flag = { enabled: number };

export type ApiKeyTable = ApiKeyRecord;

export type OrgTable = Omit<OrgRecord, 'is_default' | 'settings'> & {
  is_default: number;
  /** JSON of OrgSettings. */
  settings: string;
};
export type EnvTable = Omit<EnvRecord, 'is_default'> & { is_default: number };

export type EndpointTable = Omit<EndpointRecord, 'enabled' | 'events' | 'retry_schedule'> &
  Flag & {
    /** JSON array of subscription patterns, as given. */
    events: string;
    /** JSON array of retry delays in ms, or null for the configured default. */
    retry_schedule: string | null;
  };

export interface SubscriptionTable {
  endpoint_id: string;
  pattern: string;
}

/** Every event type published so far (never pruned), so a subscription can be told it matches nothing yet. */
export interface EventTypeTable {
  env_id: string;
  type: string;
  first_published_at: number;
}

export type EventTable = EventRecord;
export type DeliveryTable = DeliveryRecord;
export type AttemptTable = AttemptRecord;
export type CrewTable = CrewRecord;
export type AgentTable = AgentRecord;
/** trigger_type is free text in the table; only RunTriggerType's values are written. */
export type RunTable = RunRecord;
export type RunLogTable = RunLogRecord;
export type WebhookTriggerTable = Omit<WebhookTriggerRecord, 'enabled'> & Flag;
export type ScheduleTable = Omit<ScheduleRecord, 'enabled'> & Flag;
export type PostActionTable = Omit<PostActionRecord, 'enabled'> & Flag;
export type PostActionBindingTable = Omit<PostActionBindingRecord, 'enabled'> & Flag;
export type InspectorBinTable = InspectorBinRecord;

export type InspectorRequestTable = Omit<InspectorRequestRecord, 'headers' | 'body_truncated' | 'signature'> & {
  /** JSON object of lower-case header name → value. */
  headers: string;
  body_truncated: number;
  /** JSON of the signature check at capture time; null when there was nothing to check. */
  signature: string | null;
};

/** A portal session logged out before its expiry (kept until then). */
export interface EndedPortalSessionTable {
  id: string;
  expires_at: number;
}

export interface Database {
  api_keys: ApiKeyTable;
  orgs: OrgTable;
  envs: EnvTable;
  endpoints: EndpointTable;
  endpoint_subscriptions: SubscriptionTable;
  events: EventTable;
  event_types: EventTypeTable;
  deliveries: DeliveryTable;
  attempts: AttemptTable;
  crews: CrewTable;
  agents: AgentTable;
  runs: RunTable;
  run_logs: RunLogTable;
  schedules: ScheduleTable;
  webhook_triggers: WebhookTriggerTable;
  post_actions: PostActionTable;
  post_action_bindings: PostActionBindingTable;
  inspector_bins: InspectorBinTable;
  inspector_requests: InspectorRequestTable;
  ended_portal_sessions: EndedPortalSessionTable;
}
