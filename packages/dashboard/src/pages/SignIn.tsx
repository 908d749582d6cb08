// Sign in with an API key. The key goes to the server once, which answers with an HTTP-only
// session cookie; the key is not kept anywhere in the browser.
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { messageOf } from '../api.js';
import { useLocation } from '../router.js';
import { useSession } from '../session.js';

export function SignIn() {
  const { signIn } = useSession();
  const { search } = useLocation();
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const key = apiKey.trim();
    if (!key) {
      setError('Enter an API key (it starts with hl_sk_).');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(key, search.get('next'));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <form className="signin-card" onSubmit={submit} noValidate>
        <h1>Sign in to Hookline</h1>
        <p className="muted">
          Use the admin key the server printed on its first start, or one made with <code>npx hookline keys create --name NAME</code>. A read-only key can look
          at everything but change nothing.
        </p>
        <ErrorBanner message={error} />
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api_key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="hl_sk_…"
          autoFocus
          required
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          data-testid="signin-key"
        />
        <button type="submit" className="button button-primary" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
