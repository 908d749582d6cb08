#!/usr/bin/env node
// A stand-in SRE agent: reads the prompt Hookline writes to standard input, finds the Grafana
// notification in it, and prints a diagnosis per firing alert. Swap it for a real model in AGENT.md.
let prompt = '';
process.stdin
  .setEncoding('utf8')
  .on('data', (c) => (prompt += c))
  .on('end', () => {
    // Hookline's message has one line "Data: <the webhook payload as JSON>".
    const data = /^Data: (.*)$/m.exec(prompt)?.[1];
    const alerts = (data ? JSON.parse(data).alerts : undefined) ?? [];
    if (!alerts.length) {
      // A failed run: Hookline's on_error notifications (here the named PagerDuty webhook) follow.
      console.error('the notification has no alerts to diagnose');
      process.exit(1);
    }
    for (const a of alerts) {
      const { alertname = 'alert', instance = 'unknown instance' } = a.labels ?? {};
      const summary = a.annotations?.summary ?? a.annotations?.description ?? 'no summary';
      console.log(
        `${alertname} on ${instance}: ${summary}. Likely cause: a recent deploy or a traffic spike. First step: compare the error rate with the last deploy time and roll back if they line up.`,
      );
    }
  });
