// The Triggers page: schedules and named webhook triggers, what they start and when they last
// fired, with forms to create either. A new webhook trigger's secret is shown here, once.
import { useState } from 'react';
import { query } from '../../api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';
import { offsetFrom } from '../post-actions/PostActions.js';
import { useAgents } from './agents.js';
import { ScheduleForm } from './ScheduleForm.js';
import { READ_ONLY, ScheduleList } from './ScheduleList.js';
import { absoluteUrl } from './types.js';
import { type CreatedTrigger, WebhookTriggerForm } from './WebhookTriggerForm.js';
import { WebhookTriggerList } from './WebhookTriggerList.js';

export function Triggers() {
  const { search } = useLocation();
  const schedulesOffset = offsetFrom(search.get('schedules_offset'));
  const webhooksOffset = offsetFrom(search.get('webhooks_offset'));
  const agents = useAgents();
  const canWrite = useCanWrite();
  const [creating, setCreating] = useState<'schedule' | 'webhook' | null>(null);
  const [created, setCreated] = useState<CreatedTrigger | null>(null);
  const [version, setVersion] = useState(0);
  const go = (patch: { schedules_offset?: number; webhooks_offset?: number }) => {
    const next = { schedules_offset: schedulesOffset, webhooks_offset: webhooksOffset, ...patch };
    navigate(to('/triggers') + query({ schedules_offset: next.schedules_offset || undefined, webhooks_offset: next.webhooks_offset || undefined }));
  };
  const hint = canWrite ? undefined : READ_ONLY;

  return (
    <section aria-labelledby="triggers-title">
      <PageHead
        id="triggers-title"
        title="Triggers"
        description="Schedules and named webhook triggers start agent runs; post-actions bound to them fire when those runs end."
        actions={
          <span className="tpa-row-actions">
            <button
              type="button"
              className="button button-primary"
              data-testid="schedule-new"
              disabled={!canWrite}
              title={hint}
              onClick={() => setCreating('schedule')}
            >
              New schedule
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="webhook-new"
              disabled={!canWrite}
              title={hint}
              onClick={() => setCreating('webhook')}
            >
              New webhook trigger
            </button>
          </span>
        }
      />
      <ReadOnlyNote what="create, change or run triggers" />
      {created && (
        <>
          <SecretOnce label={`Secret of webhook trigger "${created.name}"`} secret={created.secret} onDone={() => setCreated(null)} />
          <p className="note-banner" data-testid="webhook-created">
            Senders call <code className="mono">{absoluteUrl(created.url)}</code> <CopyButton text={absoluteUrl(created.url)} label="Copy URL" />{' '}
            <Link href={href('/triggers/webhooks', created.id)}>Open the trigger</Link> to bind post-actions to it.
          </p>
        </>
      )}
      {creating === 'schedule' && (
        <section className="section" aria-labelledby="schedule-new-title">
          <h2 id="schedule-new-title">New schedule</h2>
          <ScheduleForm agents={agents} onSaved={(s) => navigate(href('/triggers/schedules', s.id))} onCancel={() => setCreating(null)} />
        </section>
      )}
      {creating === 'webhook' && (
        <section className="section" aria-labelledby="webhook-new-title">
          <h2 id="webhook-new-title">New webhook trigger</h2>
          <WebhookTriggerForm
            agents={agents}
            onSaved={(t) => {
              setCreated(t);
              setCreating(null);
              setVersion((v) => v + 1);
            }}
            onCancel={() => setCreating(null)}
          />
        </section>
      )}
      <ScheduleList offset={schedulesOffset} onPage={(o) => go({ schedules_offset: o })} agents={agents} canWrite={canWrite} version={version} />
      <WebhookTriggerList offset={webhooksOffset} onPage={(o) => go({ webhooks_offset: o })} agents={agents} canWrite={canWrite} version={version} />
    </section>
  );
}
