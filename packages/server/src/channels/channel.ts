/**
 * What every channel folder (endpoint/, post-action/, callback/, slack/, named-webhook/) shares:
 * the send-time interface the dispatcher sees through prepare.ts, and the small pieces of a
 * request that are the same whatever the channel.
 */
import { type KnownRows, type PreparedDelivery } from '../delivery/index.js';
import type { DeliveryRecord } from '../store/index.js';
import type { CompiledTemplate, TemplateMode } from '../templates/index.js';

/**
 * One channel's send-time half: each claimed row of this channel becomes the request to send
 * now (the frozen content plus the channel's current auth, its retry policy and judge), or the
 * reason it cannot be sent (its destination deleted or disabled), which fails it without an attempt.
 */
export interface Channel {
  prepare(rows: DeliveryRecord[], now: number, known?: KnownRows): Promise<Map<string, PreparedDelivery | string>>;
}

/** Opens a value sealed with the secret box. */
export type Opener = (sealed: string) => string;

/** A compiled template for a text, kept by the caller (the planner caches them across runs). */
export type Compile = (text: string, mode: TemplateMode) => CompiledTemplate;

/** The variables of a notification (docs/templates.md); contexts may carry more, which are ignored here. */
export interface NoticeContext {
  agent_name: string;
  event: string;
  execution_id: string;
  session_id?: string | null;
  /** on_complete only; any JSON value. */
  output?: unknown;
  /** on_error / on_timeout only. */
  error?: string | null;
  timestamp: string;
}

export const USER_AGENT = 'Hookline-Webhooks/0.1 (+https://github.com/hookline)';

/** A rendered request's timeout where its destination sets none (callbacks, Slack, named webhooks). */
export const DEFAULT_TIMEOUT_MS = 30_000;
