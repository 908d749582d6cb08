import type { OpenAIRunnerSettings } from '../runner-config.js';
import { capOutput, type RunContext, type RunOptions, type RunOutcome, type Runner, type RunUsage } from '../runner.js';
import { guardedPost, logLine, type OutboundNet, snippet, scrub } from './http-call.js';

export type OpenAIRunnerConfig = OpenAIRunnerSettings;

interface ChatMessage {
  content?: unknown;
  tool_calls?: unknown;
}

interface ChatCompletion {
  choices?: { message?: ChatMessage; finish_reason?: unknown }[];
  usage?: { total_tokens?: unknown; prompt_tokens?: unknown; completion_tokens?: unknown };
  error?: unknown;
}

/**
 * Runs an agent as one call to an OpenAI-compatible chat completions API (OpenAI, Ollama, vLLM,
 * llama.cpp's server, …): the prompt is the user message, the reply is the output, and the
 * API's token count is recorded. The API key never appears in the output or an error.
 */
export class OpenAIRunner implements Runner {
  constructor(
    private readonly cfg: OpenAIRunnerConfig,
    private readonly net: OutboundNet,
  ) {}

  async run(ctx: RunContext, opts: RunOptions): Promise<RunOutcome> {
    const { base_url, model, api_key, system_prompt, temperature, max_tokens } = this.cfg;
    const secrets = api_key ? [api_key] : [];
    const fail = (error: string, usage: RunUsage = {}): RunOutcome => ({ status: 'failed', output: '', error: scrub(error, secrets), exitCode: null, usage });
    if (!model) return fail("no model configured: set runner_config.model or the agent's model");

    const messages = [...(system_prompt ? [{ role: 'system', content: system_prompt }] : []), { role: 'user', content: ctx.prompt }];
    const result = await guardedPost(
      this.net,
      {
        url: `${base_url.replace(/\/+$/, '')}/chat/completions`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(api_key ? { authorization: `Bearer ${api_key}` } : {}),
        },
        body: JSON.stringify({
          model,
          messages,
          stream: false,
          ...(temperature !== undefined ? { temperature } : {}),
          ...(max_tokens !== undefined ? { max_tokens } : {}),
        }),
        secrets,
      },
      opts,
    );
    if (result.kind !== 'response') return { status: result.kind, output: '', error: result.error, exitCode: null, usage: {} };

    let reply: ChatCompletion | null = null;
    try {
      const v: unknown = result.bodyCut ? null : JSON.parse(result.body);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) reply = v as ChatCompletion;
    } catch {
      /* reported below */
    }
    const apiError = reply ? errorMessage(reply.error) : null;
    if (result.status < 200 || result.status > 299) {
      const detail = apiError ?? snippet(result.body);
      return fail(`model API answered HTTP ${result.status}${detail ? `: ${detail}` : ''}`);
    }
    if (apiError) return fail(`model API error: ${apiError}`);
    if (!reply) return fail(`model API answered with something other than a JSON object: ${snippet(result.body) || '(empty body)'}`);

    const choice = Array.isArray(reply.choices) ? reply.choices[0] : undefined;
    if (!choice?.message) return fail('model API answer has no choices[0].message');
    const usage: RunUsage = { iterations_used: 1 };
    const tokens = totalTokens(reply.usage);
    if (tokens !== undefined) usage.tokens_used = tokens;
    if (Array.isArray(choice.message.tool_calls)) usage.tool_calls = choice.message.tool_calls.length;
    if (choice.finish_reason === 'length') logLine(opts, 'the model stopped at its token limit (finish_reason "length"); the output may be cut short');
    return { status: 'completed', output: capOutput(scrub(textOf(choice.message.content), secrets)), error: null, exitCode: null, usage };
  }
}

/** `{error: {message}}` as OpenAI sends it, or `{error: "..."}` as some compatible servers do. */
function errorMessage(e: unknown): string | null {
  if (typeof e === 'string' && e !== '') return snippet(e, 1000);
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return snippet((e as { message: string }).message, 1000);
  return null;
}

/** A string, or the text parts of a content-parts array; null (tool calls only) is no text. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => (typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
    .join('');
}

function totalTokens(u: ChatCompletion['usage']): number | undefined {
  const count = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined);
  const total = count(u?.total_tokens);
  if (total !== undefined) return total;
  const prompt = count(u?.prompt_tokens),
    completion = count(u?.completion_tokens);
  return prompt !== undefined && completion !== undefined ? prompt + completion : undefined;
}
