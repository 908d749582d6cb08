#!/usr/bin/env node
// A local stand-in for Slack's Web API: Node's standard library only, no npm install.
//
// Point Hookline's `notifications.slack.api_base_url` at it to see the Slack messages your
// agents would send, without a Slack workspace:
//
//   PORT=9100 node examples/slack-receiver/slack-receiver.mjs
//
//   # hookline.yaml
//   notifications:
//     slack:
//       enabled: true
//       bot_token: xoxb-local-test       # any token: this receiver only checks one is sent
//       default_channel: "#agents"
//       api_base_url: http://127.0.0.1:9100/api
//
// It answers the two Web API methods a notifier needs, the way Slack does:
//   POST /api/chat.postMessage         → 200 {"ok":true,"channel":"C…","ts":"…","message":{…}}
//                                        (or 200 {"ok":false,"error":"not_authed"|"invalid_json"|"channel_not_found"|"no_text"})
//   GET  /api/conversations.history?channel=#agents
//                                      → 200 {"ok":true,"messages":[…]} newest first
// and prints every message it accepts. Messages are kept in memory until it stops.

import { createServer } from 'node:http';

const PORT = Number(process.env.PORT ?? 9100);
const messages = []; // { channel, text, blocks, ts }, oldest first
let sequence = 0;

/** Slack-shaped channel ids (C + 10 characters) so both `#agents` and its id work. */
const channelId = (name) => 'C' + Buffer.from(name.replace(/^#/, '')).toString('hex').toUpperCase().padEnd(10, '0').slice(0, 10);
const sameChannel = (a, b) => a === b || `#${a}` === b || a === `#${b}` || channelId(a) === b || a === channelId(b);

/** The readable lines of a Block Kit message: headline, fields, text sections. */
function blockLines(blocks) {
  const lines = [];
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (block?.text?.text) lines.push(block.text.text);
    for (const f of block?.fields ?? []) if (f?.text) lines.push(f.text);
    for (const e of block?.elements ?? []) if (e?.text) lines.push(e.text);
  }
  return lines;
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function postMessage(req, raw, res) {
  // Slack answers most mistakes with HTTP 200 and ok:false; Hookline reads them that way.
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) return send(res, 200, { ok: false, error: 'not_authed' });
  let msg;
  try {
    msg = JSON.parse(raw);
  } catch {
    return send(res, 200, { ok: false, error: 'invalid_json' });
  }
  if (typeof msg?.channel !== 'string' || !msg.channel.trim()) return send(res, 200, { ok: false, error: 'channel_not_found' });
  if (!msg.text && !(Array.isArray(msg.blocks) && msg.blocks.length)) return send(res, 200, { ok: false, error: 'no_text' });
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;
  const message = { type: 'message', channel: msg.channel, text: msg.text ?? '', blocks: msg.blocks ?? [], ts };
  messages.push(message);
  console.log(`\n${msg.channel}  ${message.text}`);
  for (const line of blockLines(message.blocks)) console.log(`  ${line.replace(/\n/g, '\n  ')}`);
  send(res, 200, {
    ok: true,
    channel: channelId(msg.channel),
    ts,
    message: { type: 'message', subtype: 'bot_message', text: message.text, blocks: message.blocks, ts },
  });
}

function history(url, res) {
  const channel = url.searchParams.get('channel');
  if (!channel) return send(res, 200, { ok: false, error: 'channel_not_found' });
  const found = messages.filter((m) => sameChannel(m.channel, channel)).reverse();
  send(res, 200, { ok: true, messages: found.map(({ type, text, blocks, ts }) => ({ type, text, blocks, ts })), has_more: false });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && url.pathname === '/api/chat.postMessage') return postMessage(req, raw, res);
    if (req.method === 'GET' && url.pathname === '/api/conversations.history') return history(url, res);
    send(res, 404, { ok: false, error: 'unknown_method' });
  });
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`slack receiver listening on http://127.0.0.1:${PORT}/api (chat.postMessage, conversations.history)`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.closeAllConnections(); // Hookline keeps connections alive; don't wait for them
    server.close(() => process.exit(0));
  });
}
