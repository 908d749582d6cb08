import type { Registry } from 'prom-client';
import type { SlackTester } from '../channels/index.js';
import type { EndpointAdmin } from '../endpoints/index.js';
import type { Publisher } from '../events/index.js';
import type { PostActionAdmin, PostActionPreviewer } from '../post-actions/index.js';
import type { Inspector } from '../inspector/index.js';
import { type AgentAdmin, type CallbackAdmin, type AgentFilesReport } from '../agents/index.js';
import type { ApiKeys } from '../keys/index.js';
import type { TenantAdmin, TenantQuotas } from '../tenants/index.js';
import { type PortalSessions, type Sessions } from '../keys/index.js';
import { type RunService, type RunAnnouncer } from '../runs/index.js';
import type { NotificationLog } from '../notifications/index.js';
import type { Settings } from '../settings/index.js';
import type { OverviewStats } from '../stats/index.js';
import type { ScheduleAdmin } from '../schedules/index.js';
import type { Store } from '../store/index.js';
import type { StreamHub } from '../stream/index.js';
import type { StreamLimits } from './stream-session.js';
import type { WebhookTriggerAdmin } from '../triggers/index.js';
import { type Clock } from '../util/index.js';

/** What the routes need; built by app.ts. */
export interface ApiDeps {
  store: Store;
  endpoints: EndpointAdmin;
  publisher: Publisher;
  keys: ApiKeys;
  /** Orgs, environments and the tenant a request acts in. */
  tenants: TenantAdmin;
  /** Per-tenant quotas: checked before an event, endpoint or agent is accepted. */
  quotas: TenantQuotas;
  /** Dashboard sign-in sessions (cookie + CSRF token). */
  sessions: Sessions;
  /** Customer-portal links (docs/portal.md). */
  portalSessions: PortalSessions;
  /** The dashboard's built files (tests point elsewhere); default: the @hookline/dashboard workspace's dist. */
  dashboardDir?: string;
  agents: AgentAdmin;
  callbacks: CallbackAdmin;
  runs: RunService;
  announcer: RunAnnouncer;
  /** The notification log and the post-actions' run history. */
  notifications: NotificationLog;
  schedules: ScheduleAdmin;
  triggers: WebhookTriggerAdmin;
  postActions: PostActionAdmin;
  /** Request bins: /inspect/{bin} and /api/v1/inspector. */
  inspector: Inspector;
  /** Re-reads the AGENT.md files. */
  reloadAgentFiles: () => Promise<AgentFilesReport>;
  registry: Registry;
  /** The live stream and the limits of its WebSocket route. */
  stream: { hub: StreamHub; limits: StreamLimits };
  clock: Clock;
  /** `server.public_url`, if set: links handed out start with it (see linkOrigin). */
  publicUrl?: string;
  /** Tell this process's dispatcher that work is due now. */
  onEnqueued: () => void;
  /** The dashboard's overview numbers. */
  stats: OverviewStats;
  /** The running configuration, without a secret. */
  settings: () => Settings;
  /** Sends the Slack test message. */
  slackTest: SlackTester;
  /** Renders post-action templates without sending anything. */
  preview: PostActionPreviewer;
}
