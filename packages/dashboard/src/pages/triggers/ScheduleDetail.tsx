// One schedule: when it fires, its prompt, "Run now", edit and delete, the runs it started,
// and its Post-Action Bindings section.
import { useState } from 'react';
import { api } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { KeyValue } from '../../components/KeyValue.js';
import { PageHead } from '../../components/PageHead.js';
import { PostActionBindings } from '../../components/PostActionBindings.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { Time } from '../../components/Time.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { ScheduleForm } from './ScheduleForm.js';
import { READ_ONLY } from './ScheduleList.js';
import { TriggerRuns } from './TriggerRuns.js';
import type { Schedule, TriggerRun } from './types.js';

export function ScheduleDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const path = `/api/v1/schedules/${encodeURIComponent(id)}`;
  const schedule = useResource<Schedule>(path);
  const canWrite = useCanWrite();
  const action = useAction();
  const [editing, setEditing] = useState(false);
  const [started, setStarted] = useState<TriggerRun | null>(null);
  const hint = canWrite ? undefined : READ_ONLY;

  const runNow = async () => {
    const run = await action.run('run', () => api<TriggerRun>(`${path}/run`, { method: 'POST' }));
    if (run) {
      setStarted(run);
      void schedule.reload();
    }
  };
  const toggle = async (s: Schedule) => {
    const updated = await action.run('toggle', () => api<Schedule>(path, { method: 'PATCH', body: { enabled: !s.enabled } }));
    if (updated) schedule.setData(updated);
  };
  const remove = async () => {
    if (await action.run('delete', () => api<void>(path, { method: 'DELETE' }).then(() => true))) navigate(to('/triggers'));
  };

  const s = schedule.data;
  return (
    <section aria-labelledby="schedule-title">
      <PageHead
        id="schedule-title"
        title={s ? `Schedule ${s.name}` : 'Schedule'}
        description={<Link href={to('/triggers')}>← All triggers</Link>}
        actions={
          s && (
            <span className="tpa-row-actions">
              <button
                type="button"
                className="button button-primary"
                data-testid="schedule-run-now"
                disabled={!canWrite || action.busy !== null}
                title={hint ?? "Start a run with the schedule's prompt now"}
                onClick={() => void runNow()}
              >
                {action.busy === 'run' ? 'Starting…' : 'Run now'}
              </button>
              <button
                type="button"
                className="button"
                data-testid="schedule-toggle"
                disabled={!canWrite || action.busy !== null}
                title={hint}
                onClick={() => void toggle(s)}
              >
                {s.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                className="button"
                data-testid="schedule-edit"
                disabled={!canWrite || editing}
                title={hint}
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
              <ConfirmButton
                danger
                label="Delete"
                question={`Delete schedule "${s.name}" and its post-action bindings? Its runs stay.`}
                confirmLabel="Yes, delete"
                disabled={!canWrite || action.busy !== null}
                busy={action.busy === 'delete'}
                {...(hint ? { title: hint } : {})}
                testId="schedule-delete"
                onConfirm={remove}
              />
            </span>
          )
        }
      />
      <ReadOnlyNote what="run, change or delete this schedule" />
      <ErrorBanner message={action.error ?? schedule.error} onDismiss={() => action.setError(null)} />
      {started && (
        <p className="note-banner" role="status" data-testid="schedule-started">
          Run <Link href={href('/runs', started.id)}>{started.id}</Link> started ({started.status}).
        </p>
      )}
      {!s ? (
        schedule.loading && (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : (
        <>
          {editing ? (
            <section className="section" aria-labelledby="schedule-edit-title">
              <h2 id="schedule-edit-title">Edit schedule</h2>
              <ScheduleForm
                schedule={s}
                onSaved={(next) => {
                  schedule.setData(next);
                  setEditing(false);
                }}
                onCancel={() => setEditing(false)}
              />
            </section>
          ) : (
            <section className="section" aria-labelledby="schedule-config-title" data-testid="schedule-config">
              <div className="section-head">
                <h2 id="schedule-config-title">Schedule</h2>
                <StatusBadge status={s.enabled ? 'enabled' : 'disabled'} />
              </div>
              <KeyValue
                rows={[
                  ['Id', <span className="mono">{s.id}</span>],
                  ['Agent', <Link href={href('/agents', s.agent_id)}>{s.agent_id}</Link>],
                  ['Cron', <code>{s.cron}</code>],
                  ['Time zone', s.timezone],
                  ['Next fire', <Time iso={s.next_run_at} />],
                  [
                    'Then',
                    s.next_runs.length > 1 ? (
                      <span className="pa-lines">
                        {s.next_runs.slice(1).map((t) => (
                          <span key={t}>
                            <Time iso={t} />
                            {'\n'}
                          </span>
                        ))}
                      </span>
                    ) : null,
                  ],
                  ['Last fire', <Time iso={s.last_run_at} />],
                  ['Last run', s.last_run_id ? <Link href={href('/runs', s.last_run_id)}>{s.last_run_id}</Link> : null],
                  ['Last skipped tick', s.last_skip_reason],
                  ['Misfire grace', `${s.misfire_grace_seconds} s`],
                  ['Created', <Time iso={s.created_at} />],
                  ['Updated', <Time iso={s.updated_at} />],
                ]}
              />
              <h3>Prompt</h3>
              {s.prompt ? <pre className="pre">{s.prompt}</pre> : <p className="muted">Empty: runs get only the agent's prompt template.</p>}
            </section>
          )}
          <PostActionBindings triggerType="schedule" triggerId={s.id} />
          <TriggerRuns agentId={s.agent_id} triggerType="schedule" triggerId={s.id} refreshKey={started?.id ?? null} />
        </>
      )}
    </section>
  );
}
