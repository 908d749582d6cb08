import type { Logger } from 'pino';
import type { RunLogRecord, Store } from '../store/index.js';
import type { StreamEmitter } from '../stream/index.js';
import { type Clock, iso } from '../util/index.js';

/** Most lines kept per run; a runaway agent must not fill the database. */
export const MAX_LINES_PER_RUN = 10_000;
const FLUSH_MS = 200;

/**
 * Buffers a run's log lines and writes them in batches (one insert per ~200 ms, not one per
 * line). Lines past MAX_LINES_PER_RUN are counted, and one note says how many were dropped.
 */
export class RunLogWriter {
  private buffer: RunLogRecord[] = [];
  private seq = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly runId: string,
    private readonly agentId: string,
    /** Each kept line also goes to the live stream as it arrives, before the batch is written. */
    private readonly live?: { stream: StreamEmitter | undefined; crewId: string; envId: string },
  ) {}

  add(stream: RunLogRecord['stream'], line: string): void {
    if (this.seq >= MAX_LINES_PER_RUN) {
      this.dropped++;
      return;
    }
    this.keep({ run_id: this.runId, seq: ++this.seq, agent_id: this.agentId, at: this.clock.now(), stream, line });
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private keep(row: RunLogRecord): void {
    this.buffer.push(row);
    this.live?.stream?.emit(
      'agent.log',
      { run_id: row.run_id, agent_id: row.agent_id, seq: row.seq, at: iso(row.at), stream: row.stream, line: row.line },
      { env_id: this.live.envId, crew_id: this.live.crewId, agent_id: row.agent_id, run_id: row.run_id },
    );
  }

  private flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length) {
      this.writing = this.writing
        .then(() => this.store.agents.appendLogs(rows))
        .catch((err) => this.log.error({ err, runId: this.runId }, 'runs: writing log lines failed; they are lost, the run is not'));
    }
    return this.writing;
  }

  /** Writes what is left; call when the run has ended. */
  async close(): Promise<void> {
    if (this.dropped)
      this.keep({
        run_id: this.runId,
        seq: MAX_LINES_PER_RUN + 1,
        agent_id: this.agentId,
        at: this.clock.now(),
        stream: 'system',
        line: `[${this.dropped} more lines were not kept: the limit is ${MAX_LINES_PER_RUN} lines per run]`,
      });
    await this.flush();
  }
}
