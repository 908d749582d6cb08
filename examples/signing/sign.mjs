// Sign requests to Hookline's trigger URLs, with node:crypto only. Each function returns the
// headers to send with `body`, the exact string you send (sign the bytes, not an object).
import { createHmac, randomUUID } from 'node:crypto';

const hex = (secret, message) => createHmac('sha256', secret).update(message).digest('hex');
const now = () => Math.floor(Date.now() / 1000);

/**
 * `hookline` (an agent's own URL /api/v1/webhooks/{crew}/{agent}/trigger, and named triggers
 * with scheme hookline): X-Signature = hex HMAC of the body. With a timestamp, the signature
 * covers "{ts}.{body}" and Hookline refuses it after 5 minutes, so it cannot be replayed.
 */
export function signHookline(secret, body, { timestamp = now() } = {}) {
  if (timestamp === null) return { 'X-Signature': hex(secret, body) };
  return { 'X-Timestamp': String(timestamp), 'X-Signature': hex(secret, `${timestamp}.${body}`) };
}

/** `github`: what GitHub sends. `event` is X-GitHub-Event (pull_request, push, …); the delivery id deduplicates. */
export function signGithub(secret, body, { event, delivery = randomUUID() }) {
  return { 'X-GitHub-Event': event, 'X-GitHub-Delivery': delivery, 'X-Hub-Signature-256': 'sha256=' + hex(secret, body) };
}

/** `standard` (Standard Webhooks; secret whsec_…): the key is the base64-decoded part after whsec_. */
export function signStandard(secret, body, { id = `msg_${randomUUID()}`, timestamp = now() } = {}) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

/** `grafana`: what Grafana's webhook contact point sends with an HMAC secret and a timestamp header. */
export function signGrafana(secret, body, { timestamp = now() } = {}) {
  return { 'X-Grafana-Alerting-Timestamp': String(timestamp), 'X-Grafana-Alerting-Signature': hex(secret, `${timestamp}:${body}`) };
}
