/**
 * The boundary between Hookline's run bookkeeping and whatever actually executes an
 * agent. A runner turns one run into one outcome; it reports agent failures (bad exit,
 * timeout, cancel, missing binary) as an outcome and never by rejecting, so the caller
 * has a single path for recording results.
 */

/** Counters an agent may report about itself; absent when it did not say. */
export interface RunUsage {
  iterations_used?: number;
  tool_calls?: number;
  tokens_used?: number;
}

export interface RunContext {
  runId: string;
  agentId: string;
  agentName: string;
  crewId: string;
  crewName: string;
  triggerType: string;
  triggerName: string | null;
  prompt: string;
}

export interface RunOutcome {
  status: 'completed' | 'failed' | 'timeout' | 'cancelled';
  /** What the agent produced, at most OUTPUT_LIMIT_BYTES; a cut is marked by OUTPUT_TRUNCATED_NOTE at the end. */
  output: string;
  error: string | null;
  exitCode: number | null;
  usage: RunUsage;
}

export interface RunOptions {
  timeoutMs: number;
  /** Aborting it cancels the run. */
  signal: AbortSignal;
  /** Called for every output line as it arrives; each line is capped at LOG_LINE_LIMIT_BYTES. */
  onLog: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface Runner {
  /** Resolves once the run is over and nothing it started is still running; never rejects for agent failures. */
  run(ctx: RunContext, opts: RunOptions): Promise<RunOutcome>;
}

/** Output kept per run: enough for any sensible answer, bounded so one run cannot balloon a row. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
export const OUTPUT_TRUNCATED_NOTE = '\n[output truncated at 1 MiB]';
/** Per-line cap for streamed logs, so a newline-free stream cannot grow a buffer without bound. */
export const LOG_LINE_LIMIT_BYTES = 8 * 1024;
