// The builder's form state and how it becomes an API request. The API never shows stored
// header values or credentials again, so the draft remembers which ones it has not seen:
// untouched headers and blank credentials are left out of a PATCH, which keeps them.
import { HIDDEN, type AuthType, type Method, type PostAction, type PreviewInput } from './types.js';

export interface HeaderRow {
  key: number;
  name: string;
  value: string;
  /** Came from the API with its value hidden: blank means "the stored value". */
  stored: boolean;
}

export interface Draft {
  name: string;
  method: Method;
  url: string;
  headers: HeaderRow[];
  body: string;
  authType: AuthType;
  token: string;
  username: string;
  password: string;
  authName: string;
  authValue: string;
  timeout: string;
  retry: string;
  enabled: boolean;
}

let nextKey = 1;
export const newHeaderRow = (name = '', value = ''): HeaderRow => ({ key: nextKey++, name, value, stored: false });

export const EMPTY_DRAFT: Draft = {
  name: '',
  method: 'POST',
  url: '',
  headers: [newHeaderRow('Content-Type', 'application/json')],
  body: '{\n  "text": "{{ trigger_type }} \'{{ trigger_name }}\' finished: {{ status }}",\n  "run_id": "{{ run_id }}"\n}\n',
  authType: 'none',
  token: '',
  username: '',
  password: '',
  authName: '',
  authValue: '',
  timeout: '',
  retry: '',
  enabled: true,
};

export function draftOf(pa: PostAction): Draft {
  return {
    ...EMPTY_DRAFT,
    name: pa.name,
    method: pa.method,
    url: pa.url,
    headers: Object.keys(pa.headers).map((name) => ({ key: nextKey++, name, value: '', stored: true })),
    body: pa.body_template,
    authType: pa.auth.type,
    authName: pa.auth.name ?? '',
    timeout: String(pa.timeout_seconds),
    retry: String(pa.retry_count),
    enabled: pa.enabled,
  };
}

/** Whether the header set differs from the stored one (then all of it must be sent). */
export function headersChanged(d: Draft, original: PostAction | null): boolean {
  const names = d.headers.filter((h) => h.name.trim() || h.value).map((h) => h.name.trim());
  const before = original ? Object.keys(original.headers) : [];
  if (names.length !== before.length || names.some((n, i) => n !== before[i])) return true;
  return d.headers.some((h) => !h.stored || h.value !== '');
}

/** Rows whose value must be typed again before saving: stored, blank, and the set changed. */
export function headersToRetype(d: Draft, original: PostAction | null): HeaderRow[] {
  if (!headersChanged(d, original)) return [];
  return d.headers.filter((h) => h.stored && h.value === '' && h.name.trim());
}

/** Whether the credentials stay as stored: same type, nothing typed (and for `header`, the same name). */
export function keepsAuth(d: Draft, original: PostAction | null): boolean {
  if (!original || d.authType !== original.auth.type) return false;
  if (d.token || d.username || d.password || d.authValue) return false;
  return d.authType !== 'header' || d.authName === (original.auth.name ?? '');
}

function authOf(d: Draft): Record<string, string> {
  switch (d.authType) {
    case 'bearer':
      return { type: 'bearer', token: d.token };
    case 'basic':
      return { type: 'basic', username: d.username, password: d.password };
    case 'header':
      return { type: 'header', name: d.authName.trim(), value: d.authValue };
    default:
      return { type: 'none' };
  }
}

function numberOrUndefined(raw: string): number | undefined {
  return raw.trim() === '' ? undefined : Number(raw);
}

/**
 * The body of POST (create) or PATCH (edit). Problems the API could not know about (a stored
 * header whose value must be retyped, a header row without a name) come back as `problem`.
 */
export function requestOf(d: Draft, original: PostAction | null): { body: Record<string, unknown> } | { problem: string } {
  const nameless = d.headers.findIndex((h) => !h.name.trim() && h.value);
  if (nameless >= 0) return { problem: `Header row ${nameless + 1} has a value but no name: give it a name or remove the row.` };
  const retype = headersToRetype(d, original);
  if (retype.length) {
    return {
      problem: `Hookline replaces all headers together when one changes, and never shows stored values: type the value of ${retype.map((h) => `"${h.name}"`).join(', ')} again, or remove ${retype.length > 1 ? 'them' : 'it'}.`,
    };
  }
  const body: Record<string, unknown> = { name: d.name, method: d.method, url: d.url, body_template: d.body, enabled: d.enabled };
  const timeout = numberOrUndefined(d.timeout);
  const retry = numberOrUndefined(d.retry);
  if (timeout !== undefined) body.timeout_seconds = timeout;
  if (retry !== undefined) body.retry_count = retry;
  if (headersChanged(d, original)) body.headers = Object.fromEntries(d.headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]));
  if (original ? !keepsAuth(d, original) : d.authType !== 'none') body.auth = authOf(d);
  return { body };
}

/** What the preview renders: stored header values it cannot know show as the API's mask. */
export function previewOf(d: Draft, runId: string | null): PreviewInput {
  const headers = Object.fromEntries(d.headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.stored && h.value === '' ? HIDDEN : h.value]));
  return { url: d.url, headers, body_template: d.body, ...(runId ? { run_id: runId } : {}) };
}
