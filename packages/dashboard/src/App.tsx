// Picks the page for the URL, behind the sign-in gate.
import { useEffect, type ComponentType } from 'react';
import { Layout } from './components/Layout.js';
import { Notifications } from './pages/Notifications.js';
import { NotFound } from './pages/NotFound.js';
import { Overview } from './pages/Overview.js';
import { SignIn } from './pages/SignIn.js';
import { navigate, safeNext, useLocation } from './router.js';
import { toSignIn, useSession } from './session.js';

const PAGES: Record<string, ComponentType> = {
  '/': Overview,
  '/notifications': Notifications,
};

export function App() {
  const { state } = useSession();
  const location = useLocation();
  const onSignIn = location.path === '/signin';
  const next = location.search.get('next');

  useEffect(() => {
    if (state.status === 'signed-out' && !onSignIn) toSignIn();
    // Already signed in (e.g. Back to the sign-in page): go where sign-in would have sent us.
    if (state.status === 'signed-in' && onSignIn) navigate(safeNext(next), { replace: true });
  }, [state.status, onSignIn, next]);

  if (state.status === 'loading') return <p className="page-loading" role="status">Loading…</p>;
  if (onSignIn) return state.status === 'signed-out' ? <SignIn /> : null;
  if (state.status === 'signed-out') return null;

  const Page = PAGES[location.path] ?? NotFound;
  return (
    <Layout>
      <Page />
    </Layout>
  );
}
