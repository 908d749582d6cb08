import { BUILTIN_EVENT_TYPES, patternMatches } from '../events/index.js';
import type { Store } from '../store/index.js';
import type { Tenant } from '../tenants/index.js';
import type { EventTypeEntryView } from '../wire/index.js';

/** Types listed at most: the built-in ones and those published so far. */
const MAX_TYPES = 500;

/** What the built-in types' `data` looks like, for the catalog's examples. */
const RUN_DATA = {
  run_id: 'run_01J0000000000000000000000',
  agent_id: 'support-triage',
  agent_name: 'Support triage',
  status: 'completed',
  result: 'Ticket routed to billing.',
  crew_id: null,
  crew_name: null,
  trigger_type: 'api',
  trigger_name: null,
};
const EXAMPLE_DATA: Record<string, object> = {
  'run.started': { ...RUN_DATA, status: 'running', result: null },
  'run.completed': RUN_DATA,
  'run.failed': { ...RUN_DATA, status: 'failed', result: null },
  'run.timeout': { ...RUN_DATA, status: 'timeout', result: null },
  'endpoint.disabled': { endpoint_id: 'ep_01J0000000000000000000000', reason: '10 consecutive failures' },
};

/**
 * The event types an endpoint can subscribe to (the built-in ones and every type published so
 * far), each with a description and an example envelope; narrowed to `limit`'s patterns when
 * a portal session has one.
 */
export async function eventCatalog(store: Store, tenant: Tenant, limit: readonly string[] | null, now: number): Promise<EventTypeEntryView[]> {
  const builtin = Object.entries(BUILTIN_EVENT_TYPES).filter(([type]) => type !== 'webhook.test'); // sent to one endpoint, never subscribed to
  const published = (await store.eventTypes.list(tenant.envId, MAX_TYPES)).filter((type) => !(type in BUILTIN_EVENT_TYPES));
  const entries = [
    ...builtin.map(([type, description]) => ({ type, description, builtin: true })),
    ...published.map((type) => ({ type, description: 'An event type published by the application.', builtin: false })),
  ];
  return entries
    .filter((e) => !limit || limit.some((pattern) => patternMatches(pattern, e.type)))
    .map((e) => ({
      ...e,
      example: {
        id: 'evt_01J0000000000000000000000',
        type: e.type,
        timestamp: new Date(now).toISOString(),
        org_id: tenant.orgId,
        env_id: tenant.envId,
        data: EXAMPLE_DATA[e.type] ?? {},
      },
    }));
}
