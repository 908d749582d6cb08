// Adding or editing an endpoint: its URL, a description, and the event types it receives,
// picked from the catalog (each with its description and an example body). Patterns the
// catalog does not list yet ("order.*") can be typed in; the API checks them against the
// link's limit and says which types are allowed.
import { type FormEvent, useState } from 'react';
import { messageOf } from '../api.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import type { EventTypeEntry } from './client.js';

export interface EndpointDraft {
  url: string;
  description: string;
  events: string[];
}

interface Props {
  catalog: EventTypeEntry[];
  /** The link's event-type limit, shown so the customer knows what may be typed in; null: any. */
  limit: string[] | null;
  initial?: EndpointDraft;
  onSave(body: EndpointDraft): Promise<void>;
  onCancel(): void;
}

export function EndpointEditor({ catalog, limit, initial, onSave, onCancel }: Props) {
  const known = new Set(catalog.map((e) => e.type));
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [chosen, setChosen] = useState<Set<string>>(new Set(initial?.events.filter((e) => known.has(e)) ?? []));
  const [other, setOther] = useState((initial?.events ?? []).filter((e) => !known.has(e)).join(', '));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (type: string) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const events = [...chosen, ...other.split(/[\s,]+/).filter(Boolean)];
    if (events.length === 0) return setError('Choose at least one event type.');
    setBusy(true);
    setError(null);
    try {
      await onSave({ url: url.trim(), description: description.trim(), events });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="portal-form" onSubmit={(e) => void submit(e)} data-testid="portal-editor">
      <h1>{initial ? 'Edit endpoint' : 'Add endpoint'}</h1>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <label className="field">
        <span>URL</span>
        <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks" data-testid="portal-url" />
      </label>
      <label className="field">
        <span>Description</span>
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} data-testid="portal-description" />
      </label>
      <fieldset className="portal-types">
        <legend>Event types</legend>
        {catalog.length === 0 && <p className="muted">No event types are listed yet; type the ones you want below.</p>}
        {catalog.map((entry) => (
          <div key={entry.type} className="portal-type">
            <label>
              <input type="checkbox" checked={chosen.has(entry.type)} onChange={() => toggle(entry.type)} data-testid={`portal-type-${entry.type}`} />
              <span className="mono">{entry.type}</span>
            </label>
            <p className="muted">{entry.description}</p>
            <details>
              <summary>Example</summary>
              <pre className="pre">{JSON.stringify(entry.example, null, 2)}</pre>
            </details>
          </div>
        ))}
        <label className="field">
          <span>Other types or patterns</span>
          <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="order.*, invoice.paid" data-testid="portal-other-types" />
          {limit && <span className="muted">Allowed here: {limit.join(', ')}</span>}
        </label>
      </fieldset>
      <div className="portal-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="portal-save">
          {initial ? 'Save' : 'Add endpoint'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
