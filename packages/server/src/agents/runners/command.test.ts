import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUT_LIMIT_BYTES, OUTPUT_TRUNCATED_NOTE, type RunContext, type RunOutcome } from '../runner.js';
import { CommandRunner, type CommandRunnerConfig } from './command.js';

const ctx: RunContext = {
  runId: 'run_1',
  agentId: 'agt_1',
  agentName: 'writer',
  crewId: 'crw_1',
  crewName: 'docs',
  triggerType: 'manual',
  triggerName: null,
  prompt: 'hello agent\nsecond line',
};

type Log = [stream: 'stdout' | 'stderr', line: string];

/** Runs one command; `onLine` lets a test react to output (e.g. cancel once the child is up). */
async function run(
  cfg: CommandRunnerConfig,
  opts: { timeoutMs?: number; controller?: AbortController; onLine?: (log: Log) => void; prompt?: string } = {},
): Promise<{ outcome: RunOutcome; logs: Log[]; ms: number }> {
  const logs: Log[] = [];
  const started = Date.now();
  const outcome = await new CommandRunner(cfg).run(
    { ...ctx, prompt: opts.prompt ?? ctx.prompt },
    {
      timeoutMs: opts.timeoutMs ?? 10_000,
      signal: (opts.controller ?? new AbortController()).signal,
      onLog: (stream, line) => {
        logs.push([stream, line]);
        opts.onLine?.([stream, line]);
      },
    },
  );
  return { outcome, logs, ms: Date.now() - started };
}

const node = (script: string): CommandRunnerConfig => ({ command: process.execPath, args: ['-e', script] });
const sh = (script: string, extra: Partial<CommandRunnerConfig> = {}): CommandRunnerConfig => ({ command: '/bin/sh', args: ['-c', script], ...extra });

/** Signal 0 probes existence; a zombie would still answer, so ESRCH means truly gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

const pidsFrom = (logs: Log[]) => logs.filter(([s, l]) => s === 'stderr' && /^\d+$/.test(l)).map(([, l]) => Number(l));

describe('CommandRunner', () => {
  afterEach(() => {
    delete process.env.HOOKLINE_MASTER_KEY;
  });

  it('writes the prompt to stdin and returns stdout as the output', async () => {
    const { outcome } = await run(node('process.stdin.pipe(process.stdout)'));
    expect(outcome).toEqual({ status: 'completed', output: ctx.prompt, error: null, exitCode: 0, usage: {} });
  });

  it('passes the run identity and configured env, but not the parent environment', async () => {
    process.env.HOOKLINE_MASTER_KEY = 'must-not-leak';
    const { outcome } = await run({ ...node('console.log(JSON.stringify(process.env))'), env: { AGENT_MODEL: 'small' } });
    expect(outcome.status).toBe('completed');
    const env = JSON.parse(outcome.output) as Record<string, string>;
    expect(env).toMatchObject({
      AGENT_MODEL: 'small',
      HOOKLINE_RUN_ID: 'run_1',
      HOOKLINE_AGENT_ID: 'agt_1',
      HOOKLINE_AGENT_NAME: 'writer',
      HOOKLINE_CREW_ID: 'crw_1',
      HOOKLINE_CREW_NAME: 'docs',
      HOOKLINE_TRIGGER_TYPE: 'manual',
      HOOKLINE_TRIGGER_NAME: '',
      PATH: process.env.PATH,
    });
    expect(env).not.toHaveProperty('HOOKLINE_MASTER_KEY');
    const allowed = new Set(['PATH', 'HOME', 'LANG', 'TZ', 'AGENT_MODEL']);
    // Anything else must be one of the run variables: nothing else of the parent's gets through.
    expect(Object.keys(env).filter((k) => !allowed.has(k) && !k.startsWith('HOOKLINE_'))).toEqual([]);
  });

  it('reports a non-zero exit as failed with the code and the last stderr line', async () => {
    const { outcome } = await run(sh('echo partial; echo first problem >&2; echo last words >&2; echo >&2; exit 3'));
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 3, error: 'exited with code 3: last words', output: 'partial\n' });
  });

  it('reports a missing command or working directory as failed instead of rejecting', async () => {
    const missing = await run({ command: 'hookline-no-such-command-xyz' });
    expect(missing.outcome).toMatchObject({ status: 'failed', exitCode: null, error: 'command not found: hookline-no-such-command-xyz' });
    const badCwd = await run(sh('true', { cwd: '/nonexistent/hookline-dir' }));
    expect(badCwd.outcome).toMatchObject({ status: 'failed', error: 'working directory not found: /nonexistent/hookline-dir' });
  });

  it('streams stdout and stderr lines to onLog in arrival order', async () => {
    const { outcome, logs } = await run(sh('echo o1; echo o2; sleep 0.2; echo e1 >&2; sleep 0.2; printf "o3\\r\\n\\nno-newline"'));
    expect(outcome.status).toBe('completed');
    expect(logs).toEqual([
      ['stdout', 'o1'],
      ['stdout', 'o2'],
      ['stderr', 'e1'],
      ['stdout', 'o3'],
      ['stdout', ''],
      ['stdout', 'no-newline'],
    ]);
  });

  it('caps a streamed line at 8 KiB but keeps it whole in the output', async () => {
    const { outcome, logs } = await run(node('process.stdout.write("é".repeat(10000) + "\\nafter\\n")'));
    expect(logs[0]![1]).toBe('é'.repeat(4096)); // 2-byte characters: 8192 bytes, none cut in half
    expect(logs[1]).toEqual(['stdout', 'after']);
    expect(outcome.output).toBe('é'.repeat(10000) + '\nafter\n');
  });

  it('takes usage from a trailing hookline_usage line and removes that line', async () => {
    const usage = JSON.stringify({ hookline_usage: { tokens_used: 12, tool_calls: 3, iterations_used: 2, junk: 'x' } });
    const { outcome } = await run(node(`console.log('{"not":"usage"}'); console.log('answer'); console.log(${JSON.stringify(usage)}); console.log('')`));
    expect(outcome.usage).toEqual({ tokens_used: 12, tool_calls: 3, iterations_used: 2 });
    expect(outcome.output).toBe('{"not":"usage"}\nanswer\n\n');
  });

  it('leaves a usage line alone when it is not the last line', async () => {
    const line = '{"hookline_usage":{"tokens_used":1}}';
    const { outcome } = await run(sh(`echo '${line}'; echo answer`));
    expect(outcome.usage).toEqual({});
    expect(outcome.output).toBe(`${line}\nanswer\n`);
  });

  it('truncates output at 1 MiB and still reads the trailing usage line', async () => {
    const script = `const l = "x".repeat(1023) + "\\n"; process.stdout.write(l.repeat(3000));
      process.stdout.write('{"hookline_usage":{"tool_calls":7}}\\n');`;
    const lines: number[] = [];
    const { outcome } = await run(node(script), { onLine: ([, l]) => lines.push(l.length) });
    expect(outcome.status).toBe('completed');
    expect(outcome.output.length).toBe(OUTPUT_LIMIT_BYTES + OUTPUT_TRUNCATED_NOTE.length);
    expect(outcome.output.endsWith(OUTPUT_TRUNCATED_NOTE)).toBe(true);
    expect(outcome.usage).toEqual({ tool_calls: 7 });
    expect(lines.length).toBe(3001); // logging is not cut by the output cap
  });

  it('on timeout, TERMs then KILLs the whole group, including a child that ignores SIGTERM', async () => {
    const script = `echo $$ >&2; (trap '' TERM; sleep 30) & echo $! >&2; wait`;
    const { outcome, logs, ms } = await run(sh(script, { killGraceMs: 300 }), { timeoutMs: 500 });
    expect(outcome).toMatchObject({ status: 'timeout', error: 'timed out after 0.5s' });
    const pids = pidsFrom(logs);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(ms).toBeGreaterThanOrEqual(790); // the ignoring child outlived SIGTERM until the grace ran out
  });

  it('cancels via the abort signal and resolves only after the processes are gone', async () => {
    const controller = new AbortController();
    const script = `echo $$ >&2; (trap '' TERM; sleep 30) & echo $! >&2; echo started; wait`;
    const { outcome, logs, ms } = await run(sh(script, { killGraceMs: 200 }), {
      controller,
      onLine: ([s, l]) => {
        if (s === 'stdout' && l === 'started') controller.abort();
      },
    });
    expect(outcome).toMatchObject({ status: 'cancelled', error: 'cancelled', output: 'started\n' });
    const pids = pidsFrom(logs);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(ms).toBeLessThan(9000);
  });

  it('returns cancelled without starting anything when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { outcome } = await run(sh('echo should-not-run'), { controller });
    expect(outcome).toMatchObject({ status: 'cancelled', output: '', exitCode: null });
  });

  it('ends background processes left behind when the command exits on its own', async () => {
    const { outcome, logs, ms } = await run(sh('sleep 30 & echo $! >&2; echo done', { killGraceMs: 200 }));
    expect(outcome).toMatchObject({ status: 'completed', output: 'done\n', exitCode: 0 });
    const [straggler] = pidsFrom(logs);
    expect(alive(straggler!)).toBe(false);
    expect(ms).toBeLessThan(9000);
  });
});
