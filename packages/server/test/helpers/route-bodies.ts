// A valid request body for every route that takes one, shared by the unknown-fields test (which
// adds a field to each) and the tenant attack matrix (which sends each at another tenant's ids).
export type Json = Record<string, unknown>;

/**
 * A valid body for each route with a body (`{}` for those that take none), and the paths in it
 * that are deliberately free-form (header maps, event data, environment). Route ids are `x1`
 * (concreteUrl); an agent and crew named x1 exist, so the agent routes get past their lookups.
 */
export const ROUTE_BODIES: Record<string, { body: Json; freeForm?: string[] }> = {
  'POST /api/v1/crews': { body: { name: 'Crew' } },
  'DELETE /api/v1/crews/:id': { body: {} },
  'POST /api/v1/portal/sessions': { body: { org_id: 'x1', env_id: 'x1', event_types: ['order.*'], read_only: false, ttl: '1h' } },
  'DELETE /api/v1/portal/session': { body: {} },
  'POST /api/v1/agents': {
    body: {
      crew_id: 'x1',
      name: 'Agent',
      runner: 'command',
      runner_config: { command: 'true', env: { TOKEN: 'v' } },
      notifications: { on_error: [{ channel: 'slack', target: '#alerts' }] },
    },
    freeForm: ['runner_config.env'],
  },
  'PATCH /api/v1/agents/:id': {
    body: { name: 'Renamed', runner_config: { command: 'true', env: { TOKEN: 'v' } }, notifications: { on_complete: [{ channel: 'slack', target: '#done' }] } },
    freeForm: ['runner_config.env'],
  },
  'DELETE /api/v1/agents/:id': { body: {} },
  'POST /api/v1/agents/:id/webhook-secret/rotate': { body: {} },
  'POST /api/v1/agents/reload': { body: {} },
  'PUT /api/v1/agents/:id/callback': { body: { url: 'http://127.0.0.1:9/callback', headers: { Authorization: 'Bearer t' } }, freeForm: ['headers'] },
  'DELETE /api/v1/agents/:id/callback': { body: {} },
  'POST /api/v1/agents/:id/callback/rotate-secret': { body: {} },
  'POST /api/v1/agents/:id/runs': { body: { prompt: 'by hand' } },
  'POST /api/v1/agents/:id/webhook-triggers': { body: { name: 'github', scheme: 'github', enabled: true } },
  'PATCH /api/v1/webhook-triggers/:id': { body: { enabled: false } },
  'DELETE /api/v1/webhook-triggers/:id': { body: {} },
  'POST /api/v1/webhook-triggers/:id/rotate-secret': { body: { secret: 's'.repeat(16) } },
  'POST /api/v1/runs/:id/cancel': { body: {} },
  'POST /api/v1/runs/report': { body: { agent_id: 'x1', status: 'completed', output: 'ok', usage: { tool_calls: 1 } } },
  'POST /api/v1/schedules': { body: { agent_id: 'x1', name: 'nightly', cron: '@daily' } },
  'PATCH /api/v1/schedules/:id': { body: { cron: '@hourly' } },
  'DELETE /api/v1/schedules/:id': { body: {} },
  'POST /api/v1/schedules/:id/run': { body: {} },
  'POST /api/v1/webhooks/endpoints': {
    body: { url: 'http://127.0.0.1:9/hook', events: ['run.*'], headers: { 'X-Team': 'a' }, retry_schedule: ['30s'] },
    freeForm: ['headers'],
  },
  'PATCH /api/v1/webhooks/endpoints/:id': { body: { description: 'd', headers: { 'X-Team': 'b' } }, freeForm: ['headers'] },
  'DELETE /api/v1/webhooks/endpoints/:id': { body: {} },
  'POST /api/v1/webhooks/endpoints/:id/enable': { body: {} },
  'POST /api/v1/webhooks/endpoints/:id/disable': { body: {} },
  'POST /api/v1/webhooks/endpoints/:id/test': { body: {} },
  'POST /api/v1/webhooks/endpoints/:id/rotate-secret': { body: { grace_period_seconds: 60 } },
  'POST /api/v1/webhooks/endpoints/:id/replay': { body: { since: '2024-01-01T00:00:00Z' } },
  'POST /api/v1/events': {
    body: { type: 'invoice.paid', data: { amount: 5, customer: { id: 'c1' } }, id: 'evt-unknown-fields' },
    freeForm: ['data', 'data.customer'],
  },
  'POST /api/v1/deliveries/:id/retry': { body: {} },
  'POST /api/v1/keys': { body: { name: 'ci', role: 'read' } },
  'DELETE /api/v1/keys/:id': { body: {} },
  'POST /api/v1/orgs': { body: { name: 'acme', env_name: 'live', settings: { quotas: { endpoints: 5 }, brand: { color: '#112233' } } } },
  'PATCH /api/v1/orgs/:org_id': { body: { name: 'acme', settings: { retention: { events: '7d' }, portal_origins: ['https://app.acme.test'] } } },
  'DELETE /api/v1/orgs/:org_id': { body: {} },
  'POST /api/v1/orgs/:org_id/envs': { body: { name: 'staging' } },
  'DELETE /api/v1/orgs/:org_id/envs/:env_id': { body: {} },
  'POST /api/v1/session': { body: { api_key: 'hl_sk_not_a_key' } },
  'DELETE /api/v1/session': { body: {} },
  'POST /api/v1/post-actions': {
    body: { name: 'notify', method: 'POST', url: 'http://127.0.0.1:9/pa', headers: { 'X-Run': '{{run_id}}' }, auth: { type: 'bearer', token: 't' } },
    freeForm: ['headers'],
  },
  'PATCH /api/v1/post-actions/:id': { body: { enabled: false, auth: { type: 'none' } } },
  'DELETE /api/v1/post-actions/:id': { body: {} },
  'POST /api/v1/post-actions/:id/bindings': { body: { trigger_type: 'webhook', trigger_id: 'x1', fire_when: 'any' } },
  'PATCH /api/v1/post-actions/:id/bindings/:bindingId': { body: { fire_when: 'success' } },
  'DELETE /api/v1/post-actions/:id/bindings/:bindingId': { body: {} },
  'POST /api/v1/post-actions/preview': {
    body: { url: 'http://127.0.0.1:9/{{status}}', headers: { 'X-Status': '{{status}}' }, body_template: '{}' },
    freeForm: ['headers'],
  },
  'POST /api/v1/notifications/:id/retry': { body: {} },
  'POST /v1/notifications/:id/retry': { body: {} },
  'POST /api/v1/notifications/slack/test': { body: { channel: '#alerts', text: 'hello' } },
  'POST /api/v1/inspector/bins': { body: { name: 'unknown-fields', scheme: 'auto' } },
  'PATCH /api/v1/inspector/bins/:bin': { body: { scheme: 'auto' } },
  'DELETE /api/v1/inspector/bins/:bin': { body: {} },
  'DELETE /api/v1/inspector/bins/:bin/requests': { body: {} },
};
