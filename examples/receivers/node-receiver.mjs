#!/usr/bin/env node
// A minimal Hookline webhook receiver: Node's standard library only, no npm install.
//
// It checks the Standard Webhooks signature (Hookline's default `standard` signing scheme)
// on every request and prints the event. Answers 200 when the signature is valid, 401
// otherwise.
//
//   HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=9000 node examples/receivers/node-receiver.mjs
//
// The secret is the `secret` field Hookline returned when you created the endpoint.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.HOOKLINE_WEBHOOK_SECRET;
const PORT = Number(process.env.PORT ?? 9000);
const TOLERANCE_SECONDS = 5 * 60;

if (!SECRET || !SECRET.startsWith('whsec_')) {
  console.error('Set HOOKLINE_WEBHOOK_SECRET to the endpoint secret (whsec_...) that Hookline returned.');
  process.exit(2);
}
// Standard Webhooks: the HMAC key is the base64-decoded part after "whsec_".
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');

/** Returns null when the request is authentic, else the reason it is not. */
function verify(headers, rawBody) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return 'missing webhook-id, webhook-timestamp or webhook-signature';

  // Refuse stale (or future) timestamps so a captured request cannot be replayed later.
  if (!/^\d+$/.test(timestamp)) return 'malformed webhook-timestamp';
  const age = Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp));
  if (age > TOLERANCE_SECONDS) return `timestamp is ${age}s away from now (tolerance ${TOLERANCE_SECONDS}s)`;

  // Sign exactly "{id}.{timestamp}.{raw body}"; never a re-serialised JSON object.
  const expected = createHmac('sha256', KEY).update(`${id}.${timestamp}.`).update(rawBody).digest();

  // The header holds one or more space-separated "v1,<base64>" entries (two while a secret
  // is being rotated). Any one matching is enough.
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    // timingSafeEqual needs equal lengths; the length of a signature is not a secret.
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'no matching signature';
}

const seen = new Set(); // delivery is at-least-once: use webhook-id (= event id) to drop repeats

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks);
    const problem = verify(req.headers, rawBody);
    if (problem) {
      console.error(`rejected ${req.method} ${req.url}: ${problem}`);
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: problem }));
      return;
    }
    const event = JSON.parse(rawBody.toString('utf8'));
    const id = req.headers['webhook-id'];
    if (seen.has(id)) {
      console.log(`duplicate ${id} (already handled; acknowledging again)`);
    } else {
      seen.add(id);
      console.log(`verified ${event.type} ${event.id}`);
      console.log(JSON.stringify(event, null, 2));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`node receiver listening on http://127.0.0.1:${server.address().port}/webhooks`);
});
