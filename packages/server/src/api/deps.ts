import type { Registry } from 'prom-client';
import type { EndpointAdmin } from '../channels/index.js';
import type { Publisher } from '../events/index.js';
import type { AgentAdmin } from '../agents/admin.js';
import type { ApiKeys } from '../keys/index.js';
import type { RunService } from '../runs/service.js';
import type { Store } from '../store/index.js';
import type { Clock } from '../util/clock.js';

/** What the routes need; built by app.ts. */
export interface ApiDeps {
  store: Store;
  endpoints: EndpointAdmin;
  publisher: Publisher;
  keys: ApiKeys;
  agents: AgentAdmin;
  runs: RunService;
  registry: Registry;
  clock: Clock;
  /** Tell this process's dispatcher that work is due now. */
  onEnqueued: () => void;
}
