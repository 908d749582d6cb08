import { CopyButton } from './CopyButton.js';

/**
 * A secret the API returned once (on create or rotate). It lives only in this component's
 * props: leaving the page forgets it, and the API never shows it again.
 */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone(): void }) {
  return (
    <div className="secret-once" role="region" aria-label={label} data-testid="secret-once">
      <h2>{label}</h2>
      <p>Copy it now: Hookline stores only an encrypted copy and will not show it again.</p>
      <div className="secret-row">
        <code className="mono secret-value" data-testid="secret-value">
          {secret}
        </code>
        <CopyButton text={secret} testId="secret-copy" />
      </div>
      <button type="button" className="button" onClick={onDone} data-testid="secret-done">
        I have stored it
      </button>
    </div>
  );
}
