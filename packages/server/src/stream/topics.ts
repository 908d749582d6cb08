import { checkPattern, patternMatches } from '../events/index.js';

/** Everything the live stream carries. */
export const STREAM_TOPICS = {
  'run.queued': 'A run was created and waits for a worker.',
  'run.started': 'A worker started the run.',
  'run.completed': 'The run finished successfully.',
  'run.failed': 'The run failed.',
  'run.timeout': 'The run exceeded its timeout and was stopped.',
  'run.cancelled': 'The run was cancelled.',
  'agent.log': 'One line a running agent wrote (stdout, stderr, or a system note).',
  'delivery.succeeded': 'An endpoint accepted a delivery attempt (2xx).',
  'delivery.retrying': 'A delivery attempt failed and will be retried.',
  'delivery.failed': 'A delivery failed for good.',
  'event.published': 'An event was stored (the envelope endpoints receive); what `hookline listen` forwards.',
  'inspector.request': 'A request was captured into an Inspector bin (the request without its body).',
} as const;

export type StreamTopic = keyof typeof STREAM_TOPICS;

/** Channel naming per crew: `workspace:{crew_id}` is every run.* and agent.log message of that crew. */
const WORKSPACE_PREFIX = 'workspace:';

/** What a message is about; filters compare against these. */
export interface StreamScope {
  /** The environment (tenant) it belongs to: every message of a tenant's data carries it. */
  env_id?: string;
  crew_id?: string;
  agent_id?: string;
  run_id?: string;
  endpoint_id?: string;
  /** event.published only: the event's type. */
  event_type?: string;
  /** inspector.request only: the bin the request was captured into. */
  bin?: string;
}

/** A subscription: topic patterns, narrowed by every id that is given. */
export interface StreamFilter {
  /** Only messages of this environment: set by the server from the client's tenant, never by the client. */
  env_id?: string;
  /** `*`, a prefix such as `run.*`, an exact topic, or `workspace:{crew_id}`. */
  topics: string[];
  agent_id?: string;
  run_id?: string;
  endpoint_id?: string;
  crew_id?: string;
  /** An Inspector bin's name: only that bin's captures. */
  bin?: string;
  /** Event-type patterns (`run.*`, `invoice.paid`) for event.published; other topics are not affected. */
  event_types?: string[];
}

/** null when `pattern` selects at least one topic, else why not. */
export function checkTopicPattern(pattern: string): string | null {
  if (pattern.startsWith(WORKSPACE_PREFIX)) {
    return pattern.length > WORKSPACE_PREFIX.length ? null : '"workspace:" needs a crew id, e.g. "workspace:acme"';
  }
  if (Object.keys(STREAM_TOPICS).some((t) => patternMatches(pattern, t))) return null;
  return `unknown topic "${pattern}": use "*", "run.*", "agent.log", "delivery.*", "event.published", "inspector.request", an exact topic (${Object.keys(STREAM_TOPICS).join(', ')}) or "workspace:{crew_id}"`;
}

/** null when every event-type pattern is well formed, else why not. */
export function checkEventTypePatterns(patterns: string[]): string | null {
  for (const p of patterns) {
    const bad = checkPattern(p);
    if (bad) return bad;
  }
  return null;
}

const SCOPE_KEYS = ['agent_id', 'run_id', 'endpoint_id', 'crew_id', 'bin'] as const;
const RUN_AND_LOG_TOPICS = (Object.keys(STREAM_TOPICS) as StreamTopic[]).filter((t) => t.startsWith('run.') || t === 'agent.log');

/**
 * Turns a subscription into a predicate over (topic, scope). The topic patterns are resolved
 * once against the fixed topic list, so matching a message is a few lookups.
 */
export function compileFilter(f: StreamFilter): (topic: string, scope: StreamScope) => boolean {
  const anyCrewTopics = new Set<string>();
  const crewsByTopic = new Map<string, Set<string>>();
  for (const p of f.topics) {
    if (p.startsWith(WORKSPACE_PREFIX)) {
      for (const t of RUN_AND_LOG_TOPICS) crewsByTopic.set(t, (crewsByTopic.get(t) ?? new Set()).add(p.slice(WORKSPACE_PREFIX.length)));
    } else {
      for (const t of Object.keys(STREAM_TOPICS)) if (patternMatches(p, t)) anyCrewTopics.add(t);
    }
  }
  const ids = SCOPE_KEYS.filter((k) => f[k] !== undefined);
  const eventTypes = f.event_types?.length ? f.event_types : undefined;
  const envId = f.env_id;
  return (topic, scope) => {
    if (envId !== undefined && scope.env_id !== envId) return false;
    for (const k of ids) if (scope[k] !== f[k]) return false;
    if (eventTypes && topic === 'event.published') {
      const type = scope.event_type;
      if (!type || !eventTypes.some((p) => patternMatches(p, type))) return false;
    }
    if (anyCrewTopics.has(topic)) return true;
    const crews = crewsByTopic.get(topic);
    return crews !== undefined && scope.crew_id !== undefined && crews.has(scope.crew_id);
  };
}

/** Whether a message of `topic` about `scope` belongs to subscription `f`. */
export function filterMatches(f: StreamFilter, topic: string, scope: StreamScope): boolean {
  return compileFilter(f)(topic, scope);
}
