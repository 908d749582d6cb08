import { signatureHeaders } from '../../crypto/index.js';
import type { DeliveryRecord } from '../../store/index.js';
import type { Channel, Opener } from '../channel.js';
import { FROZEN_BASE, frozenRequest, prepareFrozen } from '../frozen.js';
import type { NamedWebhook } from './settings.js';

/** Send-time half of named webhooks: the frozen request signed (X-AgentGateway-*) with the webhook's current secret. */
export class NamedWebhookChannel implements Channel {
  constructor(
    private readonly webhooks: () => readonly NamedWebhook[],
    private readonly openFresh: Opener,
  ) {}

  async prepare(rows: DeliveryRecord[]) {
    return prepareFrozen(rows, this.openFresh, (row, frozen) => {
      const w = this.webhooks().find((x) => x.name === row.target);
      if (!w) return `webhook_removed: no webhook named "${row.target}" is configured any more`;
      return {
        ...FROZEN_BASE,
        // Named webhook URLs often carry a token in their path or query; settings show the origin only, and so do attempts.
        recordedUrl: `${originOf(w.url)}/…`,
        build: (nowSec) => {
          const f = frozen();
          return frozenRequest(f, signatureHeaders('agentgateway', { msgId: row.id, timestampSec: nowSec, body: f.body, secrets: [w.secret] }));
        },
      };
    });
  }
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(not a URL)';
}
