import { signatureHeaders } from '../../crypto/index.js';
import type { DeliveryRecord, Store } from '../../store/index.js';
import type { Channel, Opener } from '../channel.js';
import { FROZEN_BASE, frozenRequest, prepareFrozen } from '../frozen.js';

/** Send-time half of callbacks: the frozen request signed (X-Signature, X-Timestamp) with the agent's current secret. */
export class CallbackChannel implements Channel {
  constructor(
    private readonly store: Store,
    private readonly open: Opener,
    private readonly openFresh: Opener,
  ) {}

  async prepare(rows: DeliveryRecord[]) {
    const agents = await this.store.agents.getAgents(rows.map((r) => r.endpoint_id));
    const agentById = new Map(agents.map((a) => [a.id, a]));
    return prepareFrozen(rows, this.openFresh, (row, frozen) => {
      const agent = agentById.get(row.endpoint_id);
      if (!agent) return 'agent_deleted';
      if (!agent.callback_secret_enc) return 'callback_removed';
      const secret = this.open(agent.callback_secret_enc);
      return {
        ...FROZEN_BASE,
        build: (nowSec) => {
          const f = frozen();
          return frozenRequest(f, signatureHeaders('callback', { msgId: row.id, timestampSec: nowSec, body: f.body, secrets: [secret] }));
        },
      };
    });
  }
}
