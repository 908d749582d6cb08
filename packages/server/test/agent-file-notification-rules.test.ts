import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHookline } from './helpers/hookline.js';

// AGENT.md notification rules are checked against the webhooks Hookline is configured with.
const agentFile = (target: string) => `---
runner_config: {command: "true"}
notifications:
  on_error:
    - channel: slack
      target: "#alerts"
    - channel: webhook
      target: ${target}
---
Report.
`;

describe('AGENT.md notification rules name configured webhooks', () => {
  let h: Harness;
  let dir: string;
  const write = (folder: string, text: string) => {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'AGENT.md'), text);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-rules-'));
    write('reporter', agentFile('default'));
    write('pager', agentFile('pagerduty'));
    h = await startHookline('sqlite', {
      overrides: { agents: { dir }, notifications: { webhooks: [{ name: 'default', url: 'https://hooks.example.com/agent-events', secret: 's3cret' }] } },
    });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a file whose webhook target is configured, and reports one that is not (with its line)', () => {
    const report = h.hl.agentFilesReport!;
    expect(report.loaded.map((l) => l.id)).toEqual(['reporter']);
    expect(report.errors).toEqual([
      {
        path: join(dir, 'pager', 'AGENT.md'),
        line: 8,
        message: 'notifications.on_error[1].target: no webhook named "pagerduty" is configured (configured webhooks: "default")',
      },
    ]);
  });

  it('counts webhooks added with useWebhookNotifications at the next reload', async () => {
    h.hl.useWebhookNotifications({ name: 'pagerduty', url: 'https://events.pagerduty.com/v2/enqueue', secret: 's3cret', events: ['on_error'] });
    const report = await h.hl.loadAgentFiles();
    expect(report.errors).toEqual([]);
    expect(report.loaded.find((l) => l.id === 'pager')?.action).toBe('created');
  });
});
