import { expect } from 'vitest';
import { HooklineApiError } from '../src/index.js';

/** The HooklineApiError `p` rejects with (the test fails when it resolves or throws something else). */
export async function apiError(p: Promise<unknown>): Promise<HooklineApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HooklineApiError);
  return err as HooklineApiError;
}
