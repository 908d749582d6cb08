// The customer portal: one tenant's endpoints, nothing of the dashboard. Three screens kept
// in state (no routes, so nothing here links anywhere else): the list, a new or edited
// endpoint, and one endpoint with its deliveries.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { messageOf } from '../api.js';
import { EmptyState } from '../components/EmptyState.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { type Endpoint, type EventTypeEntry, PortalClient, type PortalContext } from './client.js';
import { EndpointEditor } from './EndpointEditor.js';
import { EndpointPanel } from './EndpointPanel.js';

type Screen = { name: 'list' } | { name: 'new' } | { name: 'endpoint'; id: string; secret?: string };

export function Portal({ token, linkOrg }: { token: string | null; linkOrg: string | null }) {
  const client = useMemo(() => (token ? new PortalClient(token) : null), [token]);
  const [ended, setEnded] = useState(!token);
  const [context, setContext] = useState<PortalContext | null>(null);
  const [catalog, setCatalog] = useState<EventTypeEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'list' });

  useEffect(() => {
    if (!client) return;
    client.onEnded = () => setEnded(true);
    Promise.all([client.context(), client.catalog()])
      .then(([ctx, types]) => {
        // A link is opened for one org: another org's token in it is not shown under this page's framing rules.
        if (linkOrg && ctx.org.id !== linkOrg) return setEnded(true);
        setContext(ctx);
        setCatalog(types);
      })
      .catch((err: unknown) => setError(messageOf(err)));
  }, [client, linkOrg]);

  useEffect(() => {
    const color = context?.brand.color;
    if (color) {
      document.documentElement.style.setProperty('--accent', color);
      document.documentElement.style.setProperty('--focus', color);
    }
    if (context) document.title = `Webhooks · ${context.org.name}`;
  }, [context]);

  const logout = async () => {
    try {
      await client?.logout();
    } finally {
      setEnded(true);
    }
  };

  if (ended || !client) {
    return (
      <main className="portal portal-ended" data-testid="portal-ended">
        <h1>This link has ended</h1>
        <p>It expired or was logged out. Open the webhooks page again from the application that sent you here.</p>
      </main>
    );
  }
  if (!context) {
    return (
      <main className="portal">
        <ErrorBanner message={error} />
        {!error && <p className="muted">Loading…</p>}
      </main>
    );
  }
  const canWrite = !context.read_only;
  return (
    <div className="portal" data-testid="portal">
      <header className="portal-head">
        {context.brand.logo_url ? <img className="portal-logo" src={context.brand.logo_url} alt={context.org.name} /> : null}
        <div className="portal-title">
          <strong data-testid="portal-org">{context.org.name}</strong>
          <span className="muted">Webhooks · {context.env.name}</span>
        </div>
        <button type="button" className="button button-quiet" onClick={() => void logout()} data-testid="portal-logout">
          Log out
        </button>
      </header>
      <main className="portal-main">
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
        {context.read_only && <p className="note">You can look at these endpoints but not change them.</p>}
        {screen.name === 'list' && (
          <EndpointList
            client={client}
            canWrite={canWrite}
            onOpen={(id) => setScreen({ name: 'endpoint', id })}
            onNew={() => setScreen({ name: 'new' })}
            onError={setError}
          />
        )}
        {screen.name === 'new' && (
          <EndpointEditor
            catalog={catalog}
            limit={context.event_types}
            onCancel={() => setScreen({ name: 'list' })}
            onSave={async (body) => {
              const created = await client.create(body);
              setScreen({ name: 'endpoint', id: created.id, secret: created.secret });
            }}
          />
        )}
        {screen.name === 'endpoint' && (
          <EndpointPanel
            key={screen.id}
            client={client}
            id={screen.id}
            canWrite={canWrite}
            catalog={catalog}
            limit={context.event_types}
            {...(screen.secret ? { freshSecret: screen.secret } : {})}
            onBack={() => setScreen({ name: 'list' })}
            onError={setError}
          />
        )}
      </main>
    </div>
  );
}

function EndpointList({
  client,
  canWrite,
  onOpen,
  onNew,
  onError,
}: {
  client: PortalClient;
  canWrite: boolean;
  onOpen(id: string): void;
  onNew(): void;
  onError(message: string): void;
}) {
  const [items, setItems] = useState<Endpoint[] | null>(null);
  const load = useCallback(() => {
    client
      .endpoints()
      .then((page) => setItems(page.items))
      .catch((err: unknown) => onError(messageOf(err)));
  }, [client, onError]);
  useEffect(load, [load]);

  return (
    <section aria-label="Endpoints">
      <div className="portal-section-head">
        <h1>Endpoints</h1>
        {canWrite && (
          <button type="button" className="button button-primary" onClick={onNew} data-testid="portal-add">
            Add endpoint
          </button>
        )}
      </div>
      {items === null ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <EmptyState title="No endpoints yet">Add the URL of your server and the events it should receive.</EmptyState>
      ) : (
        <ul className="portal-list" data-testid="portal-endpoints">
          {items.map((e) => (
            <li key={e.id}>
              <button type="button" className="portal-row" onClick={() => onOpen(e.id)} data-testid="portal-endpoint-row">
                <span className="mono portal-url">{e.url}</span>
                <span className="portal-row-meta">
                  <StatusBadge status={e.enabled ? 'enabled' : 'disabled'} />
                  <span className="muted">{e.events.join(', ')}</span>
                </span>
                {e.description && <span className="muted">{e.description}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
