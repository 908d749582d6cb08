// One run: what it was asked, what it answered, how it ended, its log (tailed live while it
// runs), a Cancel while it is queued or running, and every notification it caused.
import { useEffect } from 'react';
import { api, isRunActive, type Run } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { LiveDot } from '../../components/LiveDot.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { RunLog } from '../../components/RunLog.js';
import { formatDuration } from '../../components/RunsTable.js';
import { TriggerLabel, triggerHref } from '../../components/RunTrigger.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useLive, useLiveStatus } from '../../hooks/useLive.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { RunNotifications } from './RunNotifications.js';
import { useRunLog } from './useRunLog.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to cancel runs.';

export function RunDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/api/v1/runs/${encodeURIComponent(id)}`;
  const { data: run, error, loading, reload, setData } = useResource<Run>(path);
  const canWrite = useCanWrite();
  const action = useAction();
  const log = useRunLog(id, run?.status ?? null);

  // run.* carries the whole run; one cut for size is read again from the API.
  useLive<Run & { truncated?: boolean }>({ topics: ['run.*'], run_id: id }, (m) => {
    if (m.data.truncated) void reload();
    else setData(m.data);
  });
  // Whatever changed while the stream was (re)connecting.
  const live = useLiveStatus();
  useEffect(() => {
    if (live === 'live') void reload();
  }, [live, reload]);

  const cancel = async () => {
    const r = await action.run('cancel', () => api<Run>(`${path}/cancel`, { method: 'POST' }));
    if (r) setData(r);
  };

  const active = run ? isRunActive(run.status) : false;
  return (
    <section aria-labelledby="run-title">
      <PageHead
        id="run-title"
        title={run ? `Run of ${run.agent_id}` : 'Run'}
        description={<span className="mono">{id}</span>}
        actions={
          <span className="agent-actions">
            <LiveDot />
            {run && active && (
              <ConfirmButton
                label="Cancel run"
                question={run.status === 'queued' ? 'Cancel this queued run?' : 'Stop this run now?'}
                confirmLabel="Cancel the run"
                onConfirm={cancel}
                disabled={!canWrite}
                title={canWrite ? undefined : READ_ONLY}
                busy={action.busy === 'cancel'}
                danger
                testId="run-cancel"
              />
            )}
          </span>
        }
      />
      {active && <ReadOnlyNote what="cancel this run" />}
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      <ErrorBanner message={error} />
      {run === null ? (
        loading && (
          <p className="muted" role="status">
            Loading the run…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="run-summary-title">
            <div className="section-head">
              <h2 id="run-summary-title">Summary</h2>
              <span data-testid="run-status" data-status={run.status} aria-live="polite">
                <StatusBadge status={run.status} />
              </span>
            </div>
            <KeyValue
              rows={[
                [
                  'Agent',
                  <Link href={href('/agents', run.agent_id)} className="mono">
                    {run.agent_id}
                  </Link>,
                ],
                ['Crew', <span className="mono">{run.crew_id}</span>],
                ['Trigger', <TriggerLabel run={run} />],
                ['Trigger id', run.trigger_id ? <TriggerId run={run} /> : null],
                ['Created', <Time iso={run.created_at} />],
                ['Started', <Time iso={run.started_at} />],
                ['Finished', <Time iso={run.finished_at} />],
                ['Duration', formatDuration(run.duration_seconds)],
                ['Exit code', run.exit_code === null ? null : <span data-testid="run-exit-code">{run.exit_code}</span>],
                ['Iterations', run.usage.iterations_used],
                ['Tool calls', run.usage.tool_calls],
                ['Tokens', run.usage.tokens_used],
              ]}
            />
          </section>
          {run.error && (
            <section className="section" aria-labelledby="run-error-title">
              <h2 id="run-error-title">Error</h2>
              <pre className="pre run-error" data-testid="run-error">
                {run.error}
              </pre>
            </section>
          )}
          <section className="section" aria-labelledby="run-log-title">
            <div className="section-head">
              <h2 id="run-log-title">Log</h2>
              <span className="muted">{active ? 'following live' : `${log.lines.length} ${log.lines.length === 1 ? 'line' : 'lines'}`}</span>
            </div>
            <ErrorBanner message={log.error} />
            {log.loading && log.lines.length === 0 ? <p className="muted">Loading the log…</p> : <RunLog lines={log.lines} active={active} />}
          </section>
          <section className="section" aria-labelledby="run-output-title">
            <h2 id="run-output-title">Output</h2>
            {run.output ? (
              <pre className="pre" data-testid="run-output">
                {run.output}
              </pre>
            ) : (
              <p className="muted">{active ? 'The output is recorded when the run ends.' : 'No output.'}</p>
            )}
          </section>
          <section className="section" aria-labelledby="run-prompt-title">
            <h2 id="run-prompt-title">Prompt</h2>
            {run.prompt ? (
              <pre className="pre" data-testid="run-prompt">
                {run.prompt}
              </pre>
            ) : (
              <p className="muted">Empty.</p>
            )}
          </section>
          <RunNotifications runId={run.id} ended={!active} />
        </>
      )}
    </section>
  );
}

function TriggerId({ run }: { run: Run }) {
  const link = triggerHref(run);
  return link ? (
    <Link href={link} className="mono">
      {run.trigger_id}
    </Link>
  ) : (
    <span className="mono">{run.trigger_id}</span>
  );
}
