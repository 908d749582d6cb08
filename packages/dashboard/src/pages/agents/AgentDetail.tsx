// One agent: how it runs, its own trigger URL (with a signed curl that works as pasted), what
// else triggers it, its latest runs (live), its callback and its notification rules.
import type { Agent } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { useResource } from '../../hooks/useResource.js';
import { Link, to } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { AgentCallback } from './AgentCallback.js';
import { AgentNotificationRules } from './AgentNotificationRules.js';
import { AgentRecentRuns } from './AgentRecentRuns.js';
import { AgentSettings } from './AgentSettings.js';
import { AgentSchedules, AgentWebhookTriggers } from './AgentTriggers.js';
import { AgentTriggerUrl } from './AgentTriggerUrl.js';

export function AgentDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const { data: agent, error, loading, reload, setData } = useResource<Agent>(`/api/v1/agents/${encodeURIComponent(id)}`);
  const canWrite = useCanWrite();

  return (
    <section aria-labelledby="agent-title">
      <PageHead
        id="agent-title"
        title={agent?.name ?? id}
        description={
          agent ? (
            <>
              <span className="mono">{agent.id}</span> in crew <span className="mono">{agent.crew_id}</span>
              {agent.description && <> · {agent.description}</>}
            </>
          ) : undefined
        }
        actions={<Link href={to('/agents')}>All agents</Link>}
      />
      <ReadOnlyNote what="rotate secrets, change the callback or edit notification rules" />
      <ErrorBanner message={error} />
      {agent === null ? (
        loading && (
          <p className="muted" role="status">
            Loading the agent…
          </p>
        )
      ) : (
        <>
          <AgentSettings agent={agent} />
          <AgentTriggerUrl agent={agent} canWrite={canWrite} />
          <AgentRecentRuns agentId={agent.id} />
          <AgentSchedules agentId={agent.id} />
          <AgentWebhookTriggers agentId={agent.id} />
          <AgentCallback agentId={agent.id} canWrite={canWrite} onChanged={() => void reload()} />
          <AgentNotificationRules agent={agent} canWrite={canWrite} onSaved={setData} />
        </>
      )}
    </section>
  );
}
