import { closest as closestName } from '../util/index.js';

/**
 * Event types are dotted lower-case names (`run.completed`, `invoice.paid`). The namespaces
 * below belong to Hookline: subscribing to an unknown type in them is a typo we can catch,
 * and publishing into them through the API would let a caller forge run outcomes.
 */
export const BUILTIN_EVENT_TYPES = {
  'run.started': 'An agent run started.',
  'run.completed': 'An agent run finished successfully.',
  'run.failed': 'An agent run failed.',
  'run.timeout': 'An agent run exceeded its timeout.',
  'endpoint.disabled': 'An endpoint was disabled (consecutive failures or 410 Gone).',
  'webhook.test': 'A test event sent to one endpoint by POST /api/v1/webhooks/endpoints/{id}/test.',
} as const;

export type BuiltinEventType = keyof typeof BUILTIN_EVENT_TYPES;

const RESERVED_NAMESPACES = ['run', 'endpoint', 'webhook'];
const SEGMENT = '[a-z0-9][a-z0-9_-]*';
const TYPE_RE = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);
const MAX_TYPE_LENGTH = 128;

function closest(name: string): string | undefined {
  const prefix = name.split('.')[0] + '.';
  return Object.keys(BUILTIN_EVENT_TYPES).find((t) => t.startsWith(prefix) && (t.startsWith(name) || name.startsWith(t.slice(0, -2))));
}

/** null when `type` is a well-formed event type name, else why not. */
export function checkTypeName(type: string): string | null {
  if (type.length > MAX_TYPE_LENGTH) return `event type is longer than ${MAX_TYPE_LENGTH} characters`;
  if (!TYPE_RE.test(type)) return `"${type}" is not an event type: use dotted lower-case names such as "invoice.paid"`;
  return null;
}

/** null when a caller may publish `type` through the API. */
export function checkPublishableType(type: string): string | null {
  const bad = checkTypeName(type);
  if (bad) return bad;
  if (RESERVED_NAMESPACES.includes(type.split('.')[0]!)) {
    return `"${type}" is in a namespace Hookline reserves (${RESERVED_NAMESPACES.map((n) => `${n}.*`).join(', ')}); Hookline emits those itself. Pick another name, e.g. "custom.${type}"`;
  }
  return null;
}

/** null when `pattern` is a valid subscription: "*", "prefix.*" or an exact type. */
export function checkPattern(pattern: string): string | null {
  if (pattern === '*') return null;
  const exact = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  const bad = checkTypeName(exact);
  if (bad) return `subscription "${pattern}": ${bad}; wildcards are "*" or a prefix followed by ".*" (e.g. "run.*")`;
  const ns = exact.split('.')[0]!;
  if (!pattern.endsWith('.*') && RESERVED_NAMESPACES.includes(ns) && !(pattern in BUILTIN_EVENT_TYPES)) {
    const hint = closest(pattern);
    return `unknown event type "${pattern}"${hint ? `; did you mean "${hint}"?` : ''} Known types: ${Object.keys(BUILTIN_EVENT_TYPES).join(', ')}`;
  }
  return null;
}

/** The subscription patterns that select `type`: "*", each "prefix.*", and the type itself. */
export function patternsMatching(type: string): string[] {
  const parts = type.split('.');
  const out = ['*', type];
  for (let i = 1; i < parts.length; i++) out.push(`${parts.slice(0, i).join('.')}.*`);
  return out;
}

export function patternMatches(pattern: string, type: string): boolean {
  return patternsMatching(type).includes(pattern);
}

/** Advice about a subscription that was saved anyway. */
export interface SubscriptionWarning {
  code: 'unknown_event_type';
  /** The request field it is about: `events[i]`. */
  field: string;
  message: string;
}

/** True when `pattern` selects a built-in type: "*", the type itself, or a prefix of it. */
export function matchesBuiltin(pattern: string): boolean {
  return Object.keys(BUILTIN_EVENT_TYPES).some((type) => patternMatches(pattern, type));
}

/**
 * Warnings for valid subscriptions that select nothing known: no built-in type and no type
 * published so far (`published`: those of `patterns` that did select a published type). They
 * are kept, since custom types may be published later, but a typo is likely; a suggestion is
 * drawn from the built-in types and `publishedTypes`.
 */
export function unknownTypeWarnings(patterns: readonly string[], published: ReadonlySet<string>, publishedTypes: Iterable<string>): SubscriptionWarning[] {
  const types = [...new Set([...Object.keys(BUILTIN_EVENT_TYPES), ...publishedTypes])];
  const prefixes = [...new Set(types.flatMap((type) => patternsMatching(type).filter((p) => p.endsWith('.*'))))];
  const warnings: SubscriptionWarning[] = [];
  patterns.forEach((pattern, i) => {
    if (matchesBuiltin(pattern) || published.has(pattern)) return;
    const wildcard = pattern.endsWith('.*');
    // "invoice" meant "invoice.*" when invoice.* types exist.
    const hint = !wildcard && prefixes.includes(`${pattern}.*`) ? `${pattern}.*` : closestName(pattern, wildcard ? prefixes : types);
    const unknown = wildcard
      ? `"${pattern}" selects no known event type (none built in, none published so far)`
      : `"${pattern}" is not a known event type (not built in, never published)`;
    const otherwise = wildcard
      ? `it will match only events published later whose type starts with "${pattern.slice(0, -1)}"`
      : 'it will match only events published later with exactly that type';
    warnings.push({ code: 'unknown_event_type', field: `events[${i}]`, message: `${unknown}; ${hint ? `did you mean "${hint}"?` : otherwise}` });
  });
  return warnings;
}
