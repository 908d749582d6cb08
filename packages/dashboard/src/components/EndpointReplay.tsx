// Replay a time window: the viewer picks local times (datetime-local has no zone), which are
// read as the viewer's zone and sent as ISO UTC. The answer says how many deliveries were queued.
import { useState, type FormEvent } from 'react';
import { localInputToIso } from '../format.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to replay events.';

interface Props {
  canWrite: boolean;
  disabled: boolean;
  busy: boolean;
  onReplay(since: string, until: string | undefined): void;
  onInvalid(message: string): void;
  /** The last answer, e.g. 3. */
  enqueued: number | null;
}

export function EndpointReplay({ canWrite, disabled, busy, onReplay, onInvalid, enqueued }: Props) {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = localInputToIso(since);
    if (!s) return onInvalid('Pick the start of the window ("Since").');
    const u = until ? localInputToIso(until) : undefined;
    if (u === null) return onInvalid('"Until" is not a complete date and time; clear it to replay up to now.');
    onReplay(s, u);
  };

  const hint = !canWrite ? READ_ONLY : disabled ? 'The endpoint is disabled; enable it first.' : undefined;
  return (
    <form className="form" onSubmit={submit} aria-label="Replay a time window" data-testid="replay-form">
      <div className="field">
        <label htmlFor="replay-since">Since</label>
        <input id="replay-since" data-testid="replay-since" type="datetime-local" step={1} required value={since} onChange={(e) => setSince(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="replay-until">Until</label>
        <input id="replay-until" data-testid="replay-until" type="datetime-local" step={1} value={until} onChange={(e) => setUntil(e.target.value)} />
        <p className="field-hint">Empty: now.</p>
      </div>
      <p className="field-hint field-wide">
        Times are in your time zone ({zone}). Every stored event published in the window that this endpoint subscribes to now is queued again, including ones
        already delivered, with the same event id.
      </p>
      <div className="form-actions">
        <span title={hint}>
          <button type="submit" className="button" data-testid="replay-submit" disabled={!canWrite || disabled || busy} title={hint}>
            {busy ? 'Replaying…' : 'Replay window'}
          </button>
        </span>
        {enqueued !== null && (
          <span role="status" className="ok-note" data-testid="replay-result">
            {enqueued === 1 ? '1 delivery enqueued' : `${enqueued} deliveries enqueued`}
          </span>
        )}
      </div>
    </form>
  );
}
