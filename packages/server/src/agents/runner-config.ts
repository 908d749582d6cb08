/**
 * Each runner kind's settings (an agent's `runner_config`): their schemas, the checks made when
 * an agent is saved, and what the API shows of them. Secrets in them (command env values, http
 * header values, the openai API key) are sealed at rest and never shown again.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { checkDestinationUrl, type SsrfGuard } from '../net/index.js';
import { UserError } from '../errors/index.js';
import { RUNNERS } from '../config/index.js';
import type { RunnerSettingsViewType } from '../wire/index.js';

const Secrets = (what: string) =>
  Type.Record(Type.String(), Type.String({ maxLength: 8192 }), {
    maxProperties: 100,
    description: `${what}: a free-form map of any names (stored encrypted; values are never shown again).`,
  });

export const CommandSettings = Type.Object(
  {
    command: Type.String({ minLength: 1, maxLength: 4096, description: 'Program to run (no shell). The prompt arrives on stdin; stdout is the output.' }),
    args: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 100 })),
    cwd: Type.Optional(Type.String({ maxLength: 4096 })),
    env: Type.Optional(Secrets('Extra environment')),
  },
  { additionalProperties: false, title: 'command runner settings' },
);

export const HttpSettings = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'Where the run context is POSTed as JSON; the response is the output. Redirects are not followed.',
    }),
    headers: Type.Optional(Secrets('Extra request headers, e.g. Authorization')),
  },
  { additionalProperties: false, title: 'http runner settings' },
);

export const OpenAISettings = Type.Object(
  {
    base_url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'An OpenAI-compatible API root, e.g. http://127.0.0.1:11434/v1 (Ollama); /chat/completions is appended.',
    }),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Model name sent to the API; default: the agent's `model`." })),
    api_key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 8192, description: 'Sent as `Authorization: Bearer …` (stored encrypted; never shown again).' }),
    ),
    system_prompt: Type.Optional(Type.String({ maxLength: 100_000 })),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    max_tokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false, title: 'openai runner settings' },
);

export const RUNNER_SETTINGS = { command: CommandSettings, http: HttpSettings, openai: OpenAISettings } as const;
export { RUNNERS };
// Every runner kind has its settings: a kind added to RUNNERS without them fails to compile here.
RUNNERS satisfies readonly (keyof typeof RUNNER_SETTINGS)[];
export type RunnerKind = (typeof RUNNERS)[number];

export type CommandRunnerSettings = Static<typeof CommandSettings>;
export type HttpRunnerSettings = Static<typeof HttpSettings>;
export type OpenAIRunnerSettings = Static<typeof OpenAISettings>;
export type RunnerSettings = CommandRunnerSettings | HttpRunnerSettings | OpenAIRunnerSettings;

/** What the API shows; secret values are replaced by this. */
export const HIDDEN = '********';

export type RunnerSettingsView = RunnerSettingsViewType;

const hideValues = (m: Record<string, string> | undefined) => Object.fromEntries(Object.keys(m ?? {}).map((k) => [k, HIDDEN]));

export function redactRunnerSettings(kind: string, s: RunnerSettings): RunnerSettingsView {
  if (kind === 'http') {
    const h = s as HttpRunnerSettings;
    return { url: h.url, headers: hideValues(h.headers) };
  }
  if (kind === 'openai') {
    const o = s as OpenAIRunnerSettings;
    return {
      base_url: o.base_url,
      model: o.model ?? null,
      api_key: o.api_key ? HIDDEN : null,
      system_prompt: o.system_prompt ?? null,
      temperature: o.temperature ?? null,
      max_tokens: o.max_tokens ?? null,
    };
  }
  const c = s as CommandRunnerSettings;
  return { command: c.command, args: c.args ?? [], cwd: c.cwd ?? null, env: hideValues(c.env) };
}

/** Headers the http runner sets itself, or that undici refuses to take from a caller. */
const RESERVED_HEADERS = /^(content-type|content-length|host|connection|keep-alive|transfer-encoding|upgrade|expect|te|trailer)$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const invalid = (message: string) => new UserError('invalid_runner_config', message);
/** Same code as the API's schema errors: it is the same mistake, found on PATCH or in a file. */
const misshapen = (message: string) => new UserError('validation_failed', message);

/** The first schema error, phrased like the API's own validation messages and naming the field. */
function schemaError(kind: RunnerKind, raw: unknown): UserError | null {
  const first = Value.Errors(RUNNER_SETTINGS[kind], raw).First();
  if (!first) return null;
  const path = first.path.split('/').filter(Boolean);
  const where = ['runner_config', ...path].join('.');
  const parent = ['runner_config', ...path.slice(0, -1)].join('.');
  const field = path.at(-1) ?? '';
  const takes = Object.keys(RUNNER_SETTINGS[kind].properties).join(', ');
  if (first.type === ValueErrorType.ObjectRequiredProperty) return misshapen(`${parent}: missing required field "${field}" for runner "${kind}"`);
  if (first.type === ValueErrorType.ObjectAdditionalProperties) return misshapen(`${parent}: unknown field "${field}"; runner "${kind}" takes ${takes}`);
  if (first.type === ValueErrorType.Object && path.length === 0)
    return misshapen(`runner_config must be an object of settings for runner "${kind}" (${takes})`);
  return misshapen(`${where}: ${first.message.toLowerCase()}`);
}

function checkUrl(field: string, raw: string, guard: SsrfGuard | undefined): string {
  checkDestinationUrl(raw, {
    field,
    example: 'https://agent.example.com/run',
    credentialsHint: "put them in the runner's headers or api_key (stored encrypted)",
    guard,
  });
  return raw;
}

function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw invalid(`runner_config.headers: "${name}" is not a valid HTTP header name`);
    if (RESERVED_HEADERS.test(name)) throw invalid(`runner_config.headers: "${name}" is set by Hookline and cannot be overridden`);
    if (/[\r\n\0]/.test(value)) throw invalid(`runner_config.headers: "${name}" has a line break or NUL in its value`);
  }
}

/**
 * Checks `raw` as the settings of runner `kind` (422 naming the field otherwise), including the
 * SSRF guard's static check of any URL. `agentModel` is the agent's model label, the openai
 * runner's fallback model; undefined when no agent is known yet (`agents.default_runner`, whose
 * agents are checked again as they load).
 */
export function checkRunnerSettings(
  kind: RunnerKind,
  raw: unknown,
  o: { guard?: SsrfGuard | undefined; agentModel: string | null | undefined },
): RunnerSettings {
  const bad = schemaError(kind, raw);
  if (bad) throw bad;
  if (kind === 'http') {
    const h = raw as HttpRunnerSettings;
    checkUrl('runner_config.url', h.url, o.guard);
    checkHeaders(h.headers ?? {});
    return h;
  }
  if (kind === 'openai') {
    const s = raw as OpenAIRunnerSettings;
    checkUrl('runner_config.base_url', s.base_url, o.guard);
    if (!s.model && o.agentModel !== undefined && !o.agentModel)
      throw invalid('runner_config: missing required field "model" for runner "openai" (or set the agent\'s `model`)');
    return s;
  }
  return raw as CommandRunnerSettings;
}
