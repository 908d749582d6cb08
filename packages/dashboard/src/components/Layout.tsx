// The frame around every signed-in page: navigation, who is signed in, and sign-out.
import { useState, type ReactNode } from 'react';
import { Link, to, useLocation } from '../router.js';
import { useSession, useSignedIn } from '../session.js';
import { TenantSwitcher } from './TenantSwitcher.js';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/agents', label: 'Agents' },
  { path: '/runs', label: 'Runs' },
  { path: '/triggers', label: 'Triggers' },
  { path: '/post-actions', label: 'Post-actions' },
  { path: '/endpoints', label: 'Endpoints' },
  { path: '/notifications', label: 'Notifications' },
  { path: '/inspector', label: 'Inspector' },
  { path: '/settings', label: 'Settings' },
];
/** Orgs are managed by installation and org admins; an environment key has nothing to manage there. */
const ORGS = { path: '/orgs', label: 'Orgs' };

/** The nav item a path belongs to: `/agents/x` is under Agents. */
function current(path: string, item: string): boolean {
  return item === '/' ? path === '/' : path === item || path.startsWith(`${item}/`);
}

export function Layout({ children }: { children: ReactNode }) {
  const { key } = useSignedIn();
  const { signOut } = useSession();
  const { path } = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const nav = key.role === 'admin' && key.env_id === null ? [...NAV, ORGS] : NAV;

  const onSignOut = () => {
    setSigningOut(true);
    void signOut();
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link className="brand" href={to('/')}>
          Hookline
        </Link>
        <nav aria-label="Main" className="nav">
          {nav.map((item) => (
            <Link key={item.path} href={to(item.path)} aria-current={current(path, item.path) ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <TenantSwitcher />
          <span className="who-name" title={`API key ${key.id}`}>
            {key.name}
          </span>
          <span className={`role role-${key.role}`} title={key.role === 'admin' ? 'This key can change things.' : 'This key can look but not change anything.'}>
            {key.role === 'admin' ? 'admin' : 'read-only'}
          </span>
          <button type="button" className="button button-quiet" data-testid="signout" onClick={onSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
