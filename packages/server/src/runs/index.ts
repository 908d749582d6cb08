// The surface of runs/: what the rest of the server may import from it.
export { RunAnnouncer } from './announce.js';
export { RunExecutor } from './executor.js';
export { runView } from './payload.js';
export { RunService } from './service.js';
