// Picks the page for the URL, behind the sign-in gate.
import { useEffect } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { Layout } from './components/Layout.js';
import { routes as agentRoutes } from './pages/agents/routes.js';
import { routes as endpointRoutes } from './pages/endpoints/routes.js';
import { routes as inspectorRoutes } from './pages/inspector/routes.js';
import { Notifications } from './pages/Notifications.js';
import { NotFound } from './pages/NotFound.js';
import { Overview } from './pages/overview/Overview.js';
import { routes as postActionRoutes } from './pages/post-actions/routes.js';
import { routes as runRoutes } from './pages/runs/routes.js';
import { routes as settingsRoutes } from './pages/settings/routes.js';
import { SignIn } from './pages/SignIn.js';
import { routes as triggerRoutes } from './pages/triggers/routes.js';
import { matchPath, navigate, safeNext, useLocation } from './router.js';
import type { Route } from './routes.js';
import { routes as orgRoutes } from './pages/orgs/routes.js';
import { toSignIn, useSession } from './session.js';
import { useTenantKey } from './tenant.js';

const ROUTES: Route[] = [
  { pattern: '/', page: Overview },
  { pattern: '/notifications', page: Notifications },
  ...agentRoutes,
  ...runRoutes,
  ...triggerRoutes,
  ...postActionRoutes,
  ...endpointRoutes,
  ...inspectorRoutes,
  ...settingsRoutes,
  ...orgRoutes,
];

function pick(path: string): { Page: Route['page']; params: Record<string, string> } {
  for (const r of ROUTES) {
    const params = matchPath(r.pattern, path);
    if (params) return { Page: r.page, params };
  }
  return { Page: NotFound, params: {} };
}

export function App() {
  const { state } = useSession();
  const location = useLocation();
  const onSignIn = location.path === '/signin';
  const next = location.search.get('next');
  const tenant = useTenantKey();

  useEffect(() => {
    if (state.status === 'signed-out' && !onSignIn) toSignIn();
    // Already signed in (e.g. Back to the sign-in page): go where sign-in would have sent us.
    if (state.status === 'signed-in' && onSignIn) navigate(safeNext(next), { replace: true });
  }, [state.status, onSignIn, next]);

  if (state.status === 'loading')
    return (
      <p className="page-loading" role="status">
        Loading…
      </p>
    );
  if (onSignIn) return state.status === 'signed-out' ? <SignIn /> : null;
  if (state.status === 'signed-out') return null;

  const { Page, params } = pick(location.path);
  return (
    <Layout>
      {/* Keyed by path so a page's state (and a render error) starts fresh on another record's URL,
          and by tenant so switching tenants loads the page's data again. */}
      <ErrorBoundary key={`${tenant}|${location.path}`}>
        <Page params={params} />
      </ErrorBoundary>
    </Layout>
  );
}
