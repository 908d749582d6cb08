import type { RunRecord } from '../store/index.js';
import type { StreamEmitter } from '../stream/index.js';
import { runView } from './payload.js';

const TOPIC_FOR_STATUS = {
  queued: 'run.queued',
  running: 'run.started',
  completed: 'run.completed',
  failed: 'run.failed',
  timeout: 'run.timeout',
  cancelled: 'run.cancelled',
} as const;

/** Shows a run's new state on the live stream; call it once the write that made it has committed. */
export function streamRun(stream: StreamEmitter | undefined, run: RunRecord): void {
  stream?.emit(TOPIC_FOR_STATUS[run.status], runView(run), { env_id: run.env_id, crew_id: run.crew_id, agent_id: run.agent_id, run_id: run.id });
}
