// The template preview (POST /api/v1/post-actions/preview): asked again ~300 ms after the
// last edit, with any older request aborted, so typing never floods the server and a slow
// answer never overwrites a newer one.
import { useEffect, useState } from 'react';
import { api, isAbort, messageOf } from '../../api.js';
import type { Preview, PreviewInput, TemplateProblem } from './types.js';

export const PREVIEW_DELAY_MS = 300;

export interface PreviewState {
  /** The latest answer; null before the first, or when the last request failed. */
  preview: Preview | null;
  /** The API's message when the preview itself could not be made (e.g. an unknown run). */
  error: string | null;
  /** A request is waiting or in flight. */
  loading: boolean;
}

/** `input` null: nothing to preview. The input is compared by content, so a new object with the same fields asks nothing. */
export function usePreview(input: PreviewInput | null): PreviewState {
  const key = input ? JSON.stringify(input) : null;
  const [state, setState] = useState<PreviewState>({ preview: null, error: null, loading: key !== null });

  useEffect(() => {
    if (key === null) {
      setState({ preview: null, error: null, loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = window.setTimeout(() => {
      api<Preview>('/api/v1/post-actions/preview', { method: 'POST', body: JSON.parse(key) as PreviewInput, signal: ctl.signal })
        .then((preview) => setState({ preview, error: null, loading: false }))
        .catch((err: unknown) => {
          if (!isAbort(err)) setState({ preview: null, error: messageOf(err), loading: false });
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      ctl.abort();
    };
  }, [key]);

  return state;
}

/** The preview's mistakes at one field (`url`, `headers.<Name>`, `body_template`). */
export function problemsAt(preview: Preview | null, field: string): TemplateProblem[] {
  return preview?.errors.filter((e) => e.field === field) ?? [];
}
