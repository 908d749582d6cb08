// A tiny history-based router: the dashboard has few pages, and each page keeps its state
// (filters, page offset) in the URL so a link or a reload shows the same view.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** Where the server serves the dashboard (Vite's `base` without the trailing slash). */
export const BASE = '/dashboard';

const CHANGE = 'hookline:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

// A string snapshot, so React sees a change only when the URL really changed.
const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  /** The path inside the dashboard, e.g. `/notifications` (`/` for the Overview). */
  path: string;
  search: URLSearchParams;
  /** The full path and query, e.g. `/dashboard/notifications?status=failed`. */
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  let path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path: path || '/', search: url.searchParams, href };
}

/** The dashboard URL of an in-app path: `to('/notifications')` is `/dashboard/notifications`. */
export function to(path: string): string {
  return path === '/' ? `${BASE}/` : BASE + path;
}

/** Goes to a full dashboard href (as made by `to`). `replace` for changes not worth a Back step. */
export function navigate(href: string, { replace = false } = {}): void {
  if (href === snapshot()) return;
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(CHANGE));
}

/**
 * Matches a path against a pattern such as `/agents/:id`; the params (URI-decoded) or null.
 * A param matches one path segment, never a slash.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (!g) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null; // a malformed %-escape is no page of ours
      }
    } else if (w !== g) return null;
  }
  return params;
}

/** A dashboard href from a pattern-like path with each dynamic part encoded: `href('/agents', id)`. */
export function href(base: string, ...parts: string[]): string {
  return to([base, ...parts.map(encodeURIComponent)].join('/'));
}

/** Only same-dashboard paths may be a sign-in's `next`, so a crafted link cannot send users elsewhere. */
export function safeNext(next: string | null): string {
  if (next && next.startsWith(`${BASE}/`) && !next.startsWith('//') && !next.startsWith(`${BASE}/signin`)) return next;
  return to('/');
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An ordinary link (middle-click and Ctrl-click still open a tab) that navigates in-app. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
