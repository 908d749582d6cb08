#!/usr/bin/env node
// Your backend's side of the callback, standard library only: checks the signature, drops
// repeats, stores the report. Try it locally:
//   HOOKLINE_CALLBACK_SECRET=hlcb_… PORT=9300 node examples/recipes/nightly-report-callback/customer-backend.mjs
//   → callback URL http://127.0.0.1:9300/hookline/agent-results
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.HOOKLINE_CALLBACK_SECRET;
const PORT = Number(process.env.PORT ?? 9300);
const TOLERANCE_SECONDS = 5 * 60;
if (!SECRET?.startsWith('hlcb_')) {
  console.error('Set HOOKLINE_CALLBACK_SECRET to the callback secret (hlcb_…) that setup.sh printed.');
  process.exit(2);
}

/** X-Signature is "sha256=" + hex HMAC-SHA256 of "{X-Timestamp}.{raw body}", keyed with the secret. */
function verified(headers, rawBody) {
  const ts = headers['x-timestamp'] ?? '';
  const given = Buffer.from(headers['x-signature'] ?? '');
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from('sha256=' + createHmac('sha256', SECRET).update(`${ts}.`).update(rawBody).digest('hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const reports = new Map(); // execution_id → report; a real backend uses its database

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const reply = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/hookline/agent-results') return reply(404, { error: 'not found' });
    const raw = Buffer.concat(chunks);
    if (!verified(req.headers, raw)) {
      console.error(`rejected a callback: bad or stale signature`);
      return reply(401, { error: 'bad signature' });
    }
    const { execution_id, agent_loop_name, status, result, error, metadata } = JSON.parse(raw.toString('utf8'));
    // Delivery is at least once: the same run can arrive twice. Acknowledge, do nothing.
    if (reports.has(execution_id)) return reply(200, { received: true, duplicate: true });
    reports.set(execution_id, { status, output: result?.output ?? null, error });
    reply(200, { received: true });
    // Answer first, then work: Hookline waits for the answer (30 s at most) before retrying.
    if (status === 'completed') {
      console.log(`verified ${status} ${execution_id} from "${agent_loop_name}" (${metadata.tokens_used ?? '?'} tokens):`);
      console.log(result.output.trimEnd().replace(/^/gm, '  '));
    } else {
      console.log(`verified ${status} ${execution_id} from "${agent_loop_name}": ${error}`);
    }
  });
});

server.listen(PORT, '127.0.0.1', () => console.log(`customer backend listening on http://127.0.0.1:${PORT}/hookline/agent-results`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
