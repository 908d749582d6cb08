// Who is signed in. The API key itself never reaches browser storage: the server keeps the
// session in an HTTP-only cookie, and we hold only the key's name/role and the CSRF token in memory.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorized, sessionApi, setCsrfToken, type Session } from './api.js';
import { navigate, safeNext, to } from './router.js';
import { allowTenantChoice } from './tenant.js';

export type SessionState = { status: 'loading' } | { status: 'signed-out' } | { status: 'signed-in'; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** Signs in and goes to `next` (or the Overview); rejects with the API's error. */
  signIn(apiKey: string, next: string | null): Promise<void>;
  /** Ends the session and shows the sign-in page; never rejects. */
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Sends the user to sign in, remembering where they were. */
export function toSignIn(): void {
  const here = window.location.pathname + window.location.search;
  const href = here.startsWith(to('/signin')) ? here : `${to('/signin')}?next=${encodeURIComponent(here)}`;
  navigate(href, { replace: true });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const adopt = useCallback((session: Session | null) => {
    setCsrfToken(session?.csrf_token ?? null);
    // Only an installation key may name a tenant; before this, no call sends a stored choice.
    allowTenantChoice(session?.key.org_id === null);
    setState(session ? { status: 'signed-in', session } : { status: 'signed-out' });
  }, []);

  useEffect(() => {
    // Any 401 means the session expired or was revoked: forget it and ask for a key again.
    onUnauthorized(() => {
      adopt(null);
      toSignIn();
    });
    let cancelled = false;
    // After a reload this is also how the CSRF token comes back. Failing to reach the server
    // shows the sign-in page, whose own request then says what went wrong.
    sessionApi.get().then(
      (s) => cancelled || adopt(s),
      () => cancelled || adopt(null),
    );
    return () => {
      cancelled = true;
      onUnauthorized(null);
    };
  }, [adopt]);

  const signIn = useCallback(
    async (apiKey: string, next: string | null) => {
      const session = await sessionApi.signIn(apiKey);
      adopt(session);
      navigate(safeNext(next), { replace: true });
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    // Even if the server cannot be reached, this tab stops acting as signed in.
    await sessionApi.signOut().catch(() => undefined);
    adopt(null);
    navigate(to('/signin'), { replace: true });
  }, [adopt]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession() outside <SessionProvider>');
  return ctx;
}

/** The signed-in session; only for components rendered behind the sign-in gate. */
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn() while not signed in');
  return state.session;
}
