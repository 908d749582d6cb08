/**
 * The in-process Hooklines a test file has started and not yet stopped: a forgotten one keeps
 * its dispatcher, run executor, scheduler and their timers running into the next tests.
 * `leak-check.ts` fails the file when any is left at its end. No imports of the server here:
 * every test file loads this, including those that never start one.
 */
interface Live {
  what: string;
  /** Stops it and frees what it holds (its database schema, its directory). */
  close(): Promise<void>;
}

const live = new Set<Live>();

/** Registers a started Hookline; call the returned function once it has been stopped. */
export function trackLive(what: string, close: () => Promise<void>): () => void {
  const entry = { what, close };
  live.add(entry);
  return () => void live.delete(entry);
}

/** What is still running, in the order it was started. */
export function liveHooklines(): string[] {
  return [...live].map((l) => l.what);
}

/**
 * Stops whatever is still running, so it cannot disturb the next file, and returns what that
 * was: one line each, naming the test that started it.
 */
export async function stopLeaked(): Promise<string[]> {
  const leaked = [...live];
  live.clear();
  const found: string[] = [];
  for (const l of leaked) {
    const error = await l.close().then(
      () => '',
      (err: unknown) => ` (stopping it failed too: ${(err as Error).message})`,
    );
    found.push(`${l.what}${error}`);
  }
  return found;
}
