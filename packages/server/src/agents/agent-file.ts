import { basename, dirname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { DEFAULT_AGENT_TIMEOUT_SECONDS, substituteEnv } from '../config/index.js';
import { type NotificationRules, parseNotificationRules, RulesError } from '../notifications/index.js';
import { closest, parseDuration } from '../util/index.js';
import type { RunnerKind, RunnerSettings } from './runner-config.js';
import { RUNNERS } from './runner-config.js';

/** An agent as an AGENT.md file defines it: YAML front matter for the fields, the body for the prompt. */
export interface AgentFileDefinition {
  id: string;
  crew_id: string;
  crew_name: string | undefined;
  name: string;
  description: string;
  runner: RunnerKind;
  runner_config: RunnerSettings;
  prompt_template: string;
  timeout_seconds: number;
  max_concurrent_runs: number;
  model: string | null;
  rate_limit_per_minute: number | null;
  webhook_secret: string | undefined;
  /** Per-agent notification rules (docs/notifications.md); absent when the file has no `notifications:` (the gateway defaults apply). */
  notifications?: NotificationRules;
  /** True when the file names no runner and `agents.default_runner` supplied `runner` and `runner_config`. */
  runner_from_default: boolean;
  /** Line of each front matter key, to point later errors (e.g. from runner checks) at the right place. */
  lines: Record<string, number>;
}

/** `agents.default_runner` of hookline.yaml: a runner as a front matter gives one. */
export interface DefaultRunner {
  runner: RunnerKind;
  runner_config: Record<string, unknown>;
}

/** A problem in one file, with the line it is on (1-based; 0 when it is about the whole file). */
export class AgentFileError extends Error {
  override name = 'AgentFileError';
  constructor(
    readonly path: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
  override toString(): string {
    return `${this.path}${this.line ? `:${this.line}` : ''}: ${this.message}`;
  }
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** Front matter keys; `notifications` is the per-agent notification rules (notifications/rules.ts). */
const KEYS = [
  'id',
  'name',
  'crew',
  'crew_name',
  'description',
  'runner',
  'runner_config',
  'timeout',
  'timeout_seconds',
  'max_concurrent_runs',
  'model',
  'rate_limit_per_minute',
  'webhook_secret',
  'notifications',
] as const;

/** Said when a file names no runner and none is configured: the two lines that fix it, and where they go. */
const NO_RUNNER = `the agent names no runner, and no agents.default_runner is set in hookline.yaml. Add these two lines (with your program, or another runner) to this file's front matter:
  runner: command
  runner_config: {command: ./run-agent.sh}
or put them under agents.default_runner in hookline.yaml, for every agent file that names no runner (see docs/agent-files.md)`;

/** The agent settings a file defines, as the agent API takes them (no id, crew or secret). */
export function agentSettings(def: AgentFileDefinition) {
  return {
    name: def.name,
    description: def.description,
    runner: def.runner,
    runner_config: def.runner_config,
    prompt_template: def.prompt_template,
    timeout_seconds: def.timeout_seconds,
    max_concurrent_runs: def.max_concurrent_runs,
    model: def.model,
    rate_limit_per_minute: def.rate_limit_per_minute,
  };
}

export interface AgentFileOptions {
  /** Names in the config's `notifications.webhooks`, which `channel: webhook` rules must name. Default: none. */
  webhookNames?: readonly string[];
  /** The runner of files that name none (`agents.default_runner`). Default: none, and such a file is an error. */
  defaultRunner?: DefaultRunner | undefined;
  /** Timeout of files that give none (`agents.default_timeout_seconds`). Default: 600. */
  defaultTimeoutSeconds?: number;
}

/**
 * Parses `agents/<folder>/AGENT.md`. Errors name the file and line; nothing here touches the
 * store, so a broken file cannot disturb any other agent.
 */
export function parseAgentFile(path: string, text: string, env: NodeJS.ProcessEnv = process.env, options: AgentFileOptions = {}): AgentFileDefinition {
  const folder = basename(dirname(path));
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---')
    throw new AgentFileError(path, 1, 'must start with a --- line opening the YAML front matter (then the fields, a closing ---, and the prompt)');
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) throw new AgentFileError(path, lines.length, 'the front matter is not closed: add a --- line after the fields');
  // A leading blank line keeps YAML's line numbers equal to the file's.
  let yamlText = '\n' + lines.slice(1, end).join('\n');
  try {
    yamlText = substituteEnv(yamlText, env, path);
  } catch (err) {
    const m = /^.*?:(\d+): (.*)$/s.exec((err as Error).message);
    throw new AgentFileError(path, m ? Number(m[1]) : 0, m ? m[2]! : (err as Error).message);
  }
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new AgentFileError(path, e.linePos?.[0].line ?? 0, e.message.split('\n')[0]!);
  }
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new AgentFileError(path, 2, 'the front matter must be a mapping of fields (name: …, runner: …)');
  const fm = data as Record<string, unknown>;
  const lineOf = (key: string) => nodeLine(doc, counter, [key]);
  const fail = (key: string, message: string): never => {
    throw new AgentFileError(path, lineOf(key), message);
  };

  for (const key of Object.keys(fm)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      const hint = closest(key, KEYS);
      fail(key, `unknown field "${key}"${hint ? `; did you mean "${hint}"?` : `; known fields: ${KEYS.join(', ')}`}`);
    }
  }
  const str = (key: string, max = 200): string | undefined => {
    const v = fm[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') fail(key, `"${key}" must be text`);
    const s = String(v);
    if (s.length > max) fail(key, `"${key}" is longer than ${max} characters`);
    return s;
  };
  const int = (key: string, min: number, max: number): number | undefined => {
    const v = fm[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(key, `"${key}" must be a whole number from ${min} to ${max}`);
    return v as number;
  };

  const id = str('id', 63) ?? folder.toLowerCase();
  if (!SLUG.test(id)) fail('id', `agent id "${id}" must be 1–63 lower-case letters, digits, - or _ (set "id:" when the folder name is not one)`);
  const crew = str('crew', 63) ?? 'default';
  if (!SLUG.test(crew)) fail('crew', `crew "${crew}" must be 1–63 lower-case letters, digits, - or _`);
  // A file that names no runner (agent files that only set up notifications carry just a name and rules) takes the configured default.
  const namesNoRunner = (fm.runner === undefined || fm.runner === null) && fm.runner_config === undefined;
  const fallback = namesNoRunner ? options.defaultRunner : undefined;
  if (namesNoRunner && !fallback) throw new AgentFileError(path, 0, NO_RUNNER);
  const runner = fallback?.runner ?? str('runner') ?? 'command';
  if (!(RUNNERS as readonly string[]).includes(runner)) fail('runner', `runner must be one of ${RUNNERS.join(', ')}, not "${runner}"`);
  const cfg = fallback?.runner_config ?? fm.runner_config;
  if (cfg === undefined || cfg === null || typeof cfg !== 'object' || Array.isArray(cfg))
    fail(
      cfg === undefined ? 'runner' : 'runner_config',
      `"runner_config" must be a mapping with the ${runner} runner's settings (see docs/agents-and-triggers.md)`,
    );

  let timeoutSeconds = int('timeout_seconds', 1, 86_400);
  if (fm.timeout !== undefined) {
    if (timeoutSeconds !== undefined) fail('timeout', 'give "timeout" or "timeout_seconds", not both');
    const ms = typeof fm.timeout === 'number' || typeof fm.timeout === 'string' ? parseDuration(fm.timeout) : null;
    if (ms === null || ms < 1000 || ms > 86_400_000 || !Number.isInteger(ms / 1000))
      fail('timeout', '"timeout" must be a duration from 1s to 24h in whole seconds, such as "90s" or "10m"');
    timeoutSeconds = ms! / 1000;
  }
  const rate = fm.rate_limit_per_minute === null ? null : int('rate_limit_per_minute', 1, 100_000);
  let notifications: NotificationRules | undefined;
  if (fm.notifications !== undefined) {
    try {
      notifications = parseNotificationRules(fm.notifications, { webhookNames: options.webhookNames ?? [] });
    } catch (err) {
      if (!(err instanceof RulesError)) throw err;
      throw new AgentFileError(path, nodeLine(doc, counter, err.segments), err.message);
    }
  }

  const secret = str('webhook_secret', 512);
  if (secret !== undefined && secret.length < 16)
    fail('webhook_secret', '"webhook_secret" must be at least 16 characters (better: leave it out and rotate through the API, or use ${ENV_VAR})');

  return {
    id,
    crew_id: crew,
    crew_name: str('crew_name'),
    name: str('name') ?? folder,
    description: str('description', 2000) ?? '',
    runner: runner as RunnerKind,
    runner_config: cfg as RunnerSettings,
    prompt_template: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
    timeout_seconds: timeoutSeconds ?? options.defaultTimeoutSeconds ?? DEFAULT_AGENT_TIMEOUT_SECONDS,
    max_concurrent_runs: int('max_concurrent_runs', 1, 1000) ?? 1,
    model: str('model') ?? null,
    rate_limit_per_minute: rate ?? null,
    webhook_secret: secret,
    ...(notifications ? { notifications } : {}),
    runner_from_default: fallback !== undefined,
    lines: Object.fromEntries(Object.keys(fm).map((k) => [k, lineOf(k)])),
  };
}

/**
 * Line of the deepest node on a path like ['notifications', 'on_error', 1, 'channel']: the key's
 * line for a mapping entry, the item's for a list entry. Stops where the path leaves the document;
 * the line after the opening --- when not even the first key is there.
 */
function nodeLine(doc: Document, counter: LineCounter, segments: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
  let line = 2;
  for (const seg of segments) {
    let next: unknown;
    if (isMap(node) && typeof seg === 'string') {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) line = counter.linePos(pair.key.range[0]).line;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
      const range = (next as { range?: [number, number, number] } | undefined)?.range;
      if (range) line = counter.linePos(range[0]).line;
    }
    if (next === undefined) break;
    node = next;
  }
  return line;
}
