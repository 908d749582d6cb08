import { useSignedIn } from '../session.js';

/** True when the signed-in key may change things. */
export function useCanWrite(): boolean {
  return useSignedIn().key.role === 'admin';
}

/** The banner a read-only key sees on pages with changes; `what` says what it cannot do. */
export function ReadOnlyNote({ what }: { what: string }) {
  if (useCanWrite()) return null;
  return (
    <p className="note-banner" data-testid="read-only-note">
      Your API key is read-only: you can look but not {what}. Sign in with an admin key to make changes.
    </p>
  );
}
