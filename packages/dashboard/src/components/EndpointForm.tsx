// The new-endpoint form: every field POST /api/v1/webhooks/endpoints takes, as plain inputs.
// Only obvious typing mistakes are caught here; the API checks the rest (SSRF guard, event
// patterns, header names) and its message is shown as it wrote it.
import type { EndpointCreate } from '@hookline/sdk';
import { useState, type FormEvent } from 'react';
import { SCHEME_HINTS, SIGNING_SCHEMES, type SigningScheme } from '../api.js';

/** The body of POST /api/v1/webhooks/endpoints. */
export type EndpointCreateBody = EndpointCreate;

/** Splits on commas, spaces and new lines; drops empties. */
function words(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** `Name: value` per line into an object; the first bad line is reported. */
function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Headers line ${i + 1} needs the form "Name: value".` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

function parseSchedule(text: string): (number | string)[] | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (t.toLowerCase() === 'none') return [];
  return words(t).map((w) => (/^\d+$/.test(w) ? Number(w) : w));
}

interface Props {
  canWrite: boolean;
  busy: boolean;
  onSubmit(body: EndpointCreateBody): void;
  /** A local problem with the input (the page shows it like an API error). */
  onInvalid(message: string): void;
}

export function EndpointForm({ canWrite, busy, onSubmit, onInvalid }: Props) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState('*');
  const [scheme, setScheme] = useState<SigningScheme>('standard');
  const [rateLimit, setRateLimit] = useState('');
  const [timeout, setTimeoutSeconds] = useState('');
  const [schedule, setSchedule] = useState('');
  const [headers, setHeaders] = useState('');
  const [enabled, setEnabled] = useState(true);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseHeaders(headers);
    if ('error' in parsed) return onInvalid(parsed.error);
    const body: EndpointCreateBody = { url: url.trim(), events: words(events), signing_scheme: scheme, enabled };
    if (description.trim()) body.description = description.trim();
    if (Object.keys(parsed.headers).length) body.headers = parsed.headers;
    if (rateLimit.trim()) body.rate_limit = Number(rateLimit);
    if (timeout.trim()) body.timeout_seconds = Number(timeout);
    const retry = parseSchedule(schedule);
    if (retry) body.retry_schedule = retry;
    onSubmit(body);
  };

  const readOnly = canWrite ? undefined : 'Your API key is read-only. Sign in with an admin key to create endpoints.';
  return (
    <form className="form" onSubmit={submit} aria-label="New endpoint" data-testid="endpoint-form">
      <div className="field field-wide">
        <label htmlFor="ep-url">URL</label>
        <input
          id="ep-url"
          data-testid="ep-url"
          type="url"
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://your-app.example/webhooks/hookline"
          spellCheck={false}
        />
        <p className="field-hint">
          Where Hookline POSTs each event (http or https, no user:password). Addresses inside your network need the operator's{' '}
          <code>delivery.allow_networks</code>.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor="ep-events">Events</label>
        <input id="ep-events" data-testid="ep-events" required value={events} onChange={(e) => setEvents(e.target.value)} spellCheck={false} />
        <p className="field-hint">
          Event types to receive, separated by commas or spaces: <code>*</code> for all, a prefix like <code>run.*</code>, or an exact type like{' '}
          <code>invoice.paid</code>.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor="ep-description">Description</label>
        <input id="ep-description" data-testid="ep-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
      </div>
      <div className="field">
        <label htmlFor="ep-scheme">Signing scheme</label>
        <select id="ep-scheme" data-testid="ep-scheme" value={scheme} onChange={(e) => setScheme(e.target.value as SigningScheme)}>
          {SIGNING_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <p className="field-hint">{SCHEME_HINTS[scheme]}</p>
      </div>
      <div className="field">
        <label htmlFor="ep-rate">Rate limit (requests per second)</label>
        <input
          id="ep-rate"
          data-testid="ep-rate"
          type="number"
          min={1}
          max={100000}
          step={1}
          value={rateLimit}
          onChange={(e) => setRateLimit(e.target.value)}
        />
        <p className="field-hint">Empty: no limit.</p>
      </div>
      <div className="field">
        <label htmlFor="ep-timeout">Timeout (seconds)</label>
        <input
          id="ep-timeout"
          data-testid="ep-timeout"
          type="number"
          min={1}
          max={300}
          step={1}
          value={timeout}
          onChange={(e) => setTimeoutSeconds(e.target.value)}
          placeholder="30"
        />
        <p className="field-hint">For the whole exchange, 1–300. Empty: 30.</p>
      </div>
      <div className="field">
        <label htmlFor="ep-retry">Retry schedule</label>
        <input
          id="ep-retry"
          data-testid="ep-retry"
          value={schedule}
          onChange={(e) => setSchedule(e.target.value)}
          placeholder="30s, 2m, 10m, 1h, 4h"
          spellCheck={false}
        />
        <p className="field-hint">
          Delays before each retry (seconds or 30s, 2m, 1h…). Empty: the server's schedule. <code>none</code>: no retries.
        </p>
      </div>
      <div className="field field-wide">
        <label htmlFor="ep-headers">Extra headers</label>
        <textarea
          id="ep-headers"
          data-testid="ep-headers"
          rows={3}
          value={headers}
          onChange={(e) => setHeaders(e.target.value)}
          placeholder="Authorization: Bearer …"
          spellCheck={false}
        />
        <p className="field-hint">
          One <code>Name: value</code> per line. Stored encrypted; the values are never shown again.
        </p>
      </div>
      <div className="field field-wide">
        <label className="check" htmlFor="ep-enabled">
          <input id="ep-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled: deliver events from now on
        </label>
      </div>
      <div className="form-actions">
        <span title={readOnly}>
          <button type="submit" className="button button-primary" data-testid="ep-create" disabled={!canWrite || busy} title={readOnly}>
            {busy ? 'Creating…' : 'Create endpoint'}
          </button>
        </span>
      </div>
    </form>
  );
}
