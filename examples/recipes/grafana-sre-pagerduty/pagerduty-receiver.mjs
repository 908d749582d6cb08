#!/usr/bin/env node
// A local stand-in for PagerDuty's Events API v2 (POST /v2/enqueue), standard library only.
// It checks an event the way PagerDuty does, answers like PagerDuty, and prints what it got:
//   PORT=9200 node examples/recipes/grafana-sre-pagerduty/pagerduty-receiver.mjs
//   → point PAGERDUTY_EVENTS_URL at http://127.0.0.1:9200/v2/enqueue
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 9200);
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** What PagerDuty would refuse in this event, as its error messages say it. */
function problems(e) {
  const out = [];
  if (typeof e?.routing_key !== 'string' || !e.routing_key) out.push("'routing_key' is missing or blank");
  if (!['trigger', 'acknowledge', 'resolve'].includes(e?.event_action)) out.push("'event_action' must be one of trigger, acknowledge, resolve");
  if (e?.event_action === 'trigger') {
    if (typeof e.payload?.summary !== 'string' || !e.payload.summary) out.push("'payload.summary' is missing or blank");
    if (typeof e.payload?.source !== 'string' || !e.payload.source) out.push("'payload.source' is missing or blank");
    if (!SEVERITIES.includes(e.payload?.severity)) out.push(`'payload.severity' must be one of ${SEVERITIES.join(', ')}`);
  } else if (e?.event_action && !e.dedup_key) out.push("'dedup_key' is required to acknowledge or resolve");
  return out;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reply = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/v2/enqueue') return reply(404, { status: 'not found', message: 'POST /v2/enqueue' });
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['body is not JSON'] });
    }
    const errors = problems(event);
    if (errors.length) {
      console.log(`refused: ${errors.join('; ')}`);
      return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors });
    }
    const dedupKey = event.dedup_key ?? randomUUID().replaceAll('-', '');
    console.log(`${event.event_action} ${event.payload?.severity ?? ''} ${dedupKey}: ${event.payload?.summary ?? ''}`);
    reply(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  });
});

server.listen(PORT, '127.0.0.1', () => console.log(`pagerduty receiver listening on http://127.0.0.1:${PORT}/v2/enqueue`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
