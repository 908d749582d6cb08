import type { Publisher } from '../events/index.js';
import { type Notifier, runEventFor } from '../notifications/index.js';
import type { AgentRecord, RunRecord, Store } from '../store/index.js';
import type { Tenant } from '../tenants/index.js';
import { runEventData } from './payload.js';

/**
 * Announces an ended run inside its final transaction: the run.* event (to subscribed
 * endpoints) and every notification (post-actions, callback, Slack, named webhooks), so the
 * run's end and all it causes are stored together or not at all.
 */
export class RunAnnouncer {
  constructor(
    private readonly publisher: Publisher,
    private readonly notifier: Notifier | undefined,
    /** Wakes this process's dispatcher once the notifications are committed. */
    private readonly onEnqueued: () => void,
    /** The tenant of a stored env_id (read in `within`): the run's event is published in its agent's tenant. */
    private readonly tenantOf: (envId: string, within: Store) => Promise<Tenant>,
  ) {}

  async ended(tx: Store, run: RunRecord, agent: AgentRecord): Promise<void> {
    const type = runEventFor(run.status);
    if (!type) return;
    const crew = await tx.agents.getCrew(agent.env_id, run.crew_id);
    const eventId = `evt_${run.id}`;
    const published = await this.publisher.publish(
      { tenant: await this.tenantOf(agent.env_id, tx), type, data: runEventData(run, agent, crew), id: eventId, run: { run_id: run.id, agent_id: agent.id } },
      undefined,
      tx,
    );
    // Its id is fixed per run: a second announcement of the same end notifies nobody twice.
    if (published.duplicate || !this.notifier) return;
    if ((await this.notifier.plan(tx, run, agent, crew, eventId)) > 0) tx.afterCommit(this.onEnqueued);
  }
}
