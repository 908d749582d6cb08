#!/usr/bin/env node
// Sends what Grafana's webhook contact point sends when an alert fires, signed as Grafana
// signs it (X-Grafana-Alerting-Signature over "{timestamp}:{body}"). Try the recipe without Grafana:
//   HOOKLINE_URL=http://127.0.0.1:8787 GRAFANA_WEBHOOK_SECRET=… node examples/recipes/grafana-sre-pagerduty/send-alert.mjs
// With --no-alerts the notification lists no alerts, which the stand-in agent cannot diagnose:
// the run fails, and the named PagerDuty webhook pages a person instead.
import { createHmac } from 'node:crypto';

const url = `${process.env.HOOKLINE_URL ?? 'http://127.0.0.1:8787'}/api/v1/webhooks/ops/sre/alerts`;
const secret = process.env.GRAFANA_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set GRAFANA_WEBHOOK_SECRET to the trigger secret (the one setup.sh used).');
  process.exit(2);
}

const labels = { alertname: 'HighErrorRate', instance: 'checkout-7f9c', severity: 'critical', service: 'checkout' };
const alert = {
  status: 'firing',
  labels,
  annotations: { summary: '5xx rate above 5% for 10 minutes' },
  startsAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'https://grafana.example.com/alerting/grafana/checkout-errors/view',
  fingerprint: 'c6eadffa33f7b6b0',
};
// The shape of Grafana's webhook notification (version 1).
const payload = {
  receiver: 'hookline-sre',
  status: 'firing',
  orgId: 1,
  alerts: process.argv.includes('--no-alerts') ? [] : [alert],
  groupLabels: { alertname: labels.alertname },
  commonLabels: labels,
  commonAnnotations: alert.annotations,
  externalURL: 'https://grafana.example.com/',
  version: '1',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  title: '[FIRING:1] HighErrorRate checkout',
  state: 'alerting',
  message: '5xx rate above 5% for 10 minutes',
};

const body = JSON.stringify(payload);
const timestamp = String(Math.floor(Date.now() / 1000));
const res = await fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-grafana-alerting-timestamp': timestamp,
    'x-grafana-alerting-signature': createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('hex'),
  },
  body,
});
console.log(res.status, await res.text());
process.exit(res.status === 202 ? 0 : 1);
