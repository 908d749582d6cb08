// A new request bin: an optional name (the capture URL's last part), and an optional secret and
// scheme to check captured signatures with. The secret is write-only: sent once, never shown.
import type { InspectorBinCreate } from '@hookline/sdk';
import { useState, type FormEvent } from 'react';
import { BIN_SCHEMES, SCHEME_HINTS } from '../api.js';

/** The body of POST /api/v1/inspector/bins. */
export type BinCreateBody = InspectorBinCreate;

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to create bins.';

export function InspectorBinForm({ canWrite, busy, onSubmit }: { canWrite: boolean; busy: boolean; onSubmit(body: BinCreateBody): void }) {
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [scheme, setScheme] = useState('auto');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: BinCreateBody = { scheme };
    if (name.trim()) body.name = name.trim();
    if (secret) body.secret = secret;
    onSubmit(body);
  };

  return (
    <form className="form" onSubmit={submit} aria-label="New request bin" data-testid="bin-form">
      <div className="field">
        <label htmlFor="bin-name">Name</label>
        <input
          id="bin-name"
          data-testid="bin-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          pattern="[A-Za-z0-9_\-]{1,64}"
          maxLength={64}
          spellCheck={false}
          placeholder="random"
        />
        <p className="field-hint">1–64 letters, digits, _ or -. Empty: a random name.</p>
      </div>
      <div className="field">
        <label htmlFor="bin-secret">Secret (optional)</label>
        <input
          id="bin-secret"
          data-testid="bin-secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          maxLength={512}
          spellCheck={false}
        />
        <p className="field-hint">To check captured signatures with. Stored encrypted and never shown again.</p>
      </div>
      <div className="field">
        <label htmlFor="bin-scheme">Signature scheme</label>
        <select id="bin-scheme" data-testid="bin-scheme" value={scheme} onChange={(e) => setScheme(e.target.value)}>
          {BIN_SCHEMES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <p className="field-hint">{SCHEME_HINTS[scheme]}</p>
      </div>
      <div className="form-actions">
        <span title={canWrite ? undefined : READ_ONLY}>
          <button
            type="submit"
            className="button button-primary"
            data-testid="bin-create"
            disabled={!canWrite || busy}
            title={canWrite ? undefined : READ_ONLY}
          >
            {busy ? 'Creating…' : 'Create bin'}
          </button>
        </span>
      </div>
    </form>
  );
}
