import type { HttpRunnerSettings } from '../runner-config.js';
import { capOutput, type RunContext, type RunOptions, type RunOutcome, type Runner, type RunUsage } from '../runner.js';
import { guardedPost, type OutboundNet, snippet, scrub } from './http-call.js';

export type HttpRunnerConfig = HttpRunnerSettings;

const USAGE_KEYS = ['iterations_used', 'tool_calls', 'tokens_used'] as const;

/** What an agent may answer with instead of plain text. */
interface AgentReply {
  output: string;
  error: string | null;
  usage: RunUsage;
}

/**
 * Runs an agent that lives behind a URL: POSTs the run context and prompt as JSON and takes the
 * response as the output, either `{"output": "...", "tokens_used": 12, ...}` or any other body
 * as plain text. A 2xx answer whose JSON carries a non-empty `error` is a failed run.
 */
export class HttpRunner implements Runner {
  constructor(
    private readonly cfg: HttpRunnerConfig,
    private readonly net: OutboundNet,
  ) {}

  async run(ctx: RunContext, opts: RunOptions): Promise<RunOutcome> {
    // Each header value, and its credential without the scheme (`Bearer x` → `x`): an agent that
    // repeats its token must not put it in the run's output, its event and every notification.
    const secrets = Object.values(this.cfg.headers ?? {}).flatMap((v) => [v, v.replace(/^\S+ +/, '')]);
    const result = await guardedPost(
      this.net,
      {
        url: this.cfg.url,
        headers: {
          ...this.cfg.headers,
          'content-type': 'application/json',
          accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
        },
        body: JSON.stringify({
          run_id: ctx.runId,
          agent_id: ctx.agentId,
          agent_name: ctx.agentName,
          crew_id: ctx.crewId,
          crew_name: ctx.crewName,
          trigger_type: ctx.triggerType,
          trigger_name: ctx.triggerName,
          prompt: ctx.prompt,
        }),
        secrets,
      },
      opts,
    );
    if (result.kind !== 'response') return { status: result.kind, output: '', error: result.error, exitCode: null, usage: {} };

    const reply = result.bodyCut ? null : parseReply(result.body);
    if (result.status < 200 || result.status > 299) {
      const detail = snippet(reply?.error ?? reply?.output ?? result.body);
      const hint = result.status >= 300 && result.status < 400 ? ' (redirects are not followed; use the final URL)' : '';
      return {
        status: 'failed',
        output: '',
        error: scrub(`agent answered HTTP ${result.status}${hint}${detail ? `: ${detail}` : ''}`, secrets),
        exitCode: null,
        usage: {},
      };
    }
    if (!reply) return { status: 'completed', output: capOutput(scrub(result.body, secrets)), error: null, exitCode: null, usage: {} };
    const output = capOutput(scrub(reply.output, secrets));
    if (reply.error) return { status: 'failed', output, error: scrub(reply.error, secrets).slice(0, 2000), exitCode: null, usage: reply.usage };
    return { status: 'completed', output, error: null, exitCode: null, usage: reply.usage };
  }
}

/** `{output: string, ...}` as an AgentReply; null for anything else (the body is then plain text). */
function parseReply(body: string): AgentReply | null {
  if (!body.trimStart().startsWith('{')) return null;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.output !== 'string' && typeof o.error !== 'string') return null;
  const usage: RunUsage = {};
  for (const k of USAGE_KEYS) {
    const n = o[k];
    // Stored in integer columns: fractions or negatives are a confused agent, not a count.
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) usage[k] = n;
  }
  return { output: typeof o.output === 'string' ? o.output : '', error: typeof o.error === 'string' && o.error !== '' ? o.error : null, usage };
}
