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

/** Drops a multi-byte character cut in half at the end, so a cap never produces U+FFFD. */
export function utf8Prefix(buf: Buffer): Buffer {
  for (let i = buf.length - 1; i >= 0 && i >= buf.length - 4; i--) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return buf.length - i < need ? buf.subarray(0, i) : buf;
  }
  return buf;
}

/** Keeps at most OUTPUT_LIMIT_BYTES of `text`, marking a cut with OUTPUT_TRUNCATED_NOTE. */
export function capOutput(text: string): string {
  if (text.length <= OUTPUT_LIMIT_BYTES / 4) return text; // cannot exceed the limit even at 4 bytes a character
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= OUTPUT_LIMIT_BYTES) return text;
  return utf8Prefix(bytes.subarray(0, OUTPUT_LIMIT_BYTES)).toString('utf8') + OUTPUT_TRUNCATED_NOTE;
}
