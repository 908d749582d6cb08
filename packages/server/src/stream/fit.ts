/** Appended to every string the stream had to cut. */
export const TRUNCATION_MARKER = '…[truncated]';

const MARKER_BYTES = Buffer.byteLength(TRUNCATION_MARKER);
/** Strings shorter than this are not worth cutting; past that, whole values go. */
const MIN_CUT = 64;
/** Top-level fields kept by the last resort, so a client can still fetch the full object. */
const ID_FIELDS = ['id', 'type', 'timestamp', 'run_id', 'agent_id', 'crew_id', 'seq', 'stream', 'status', 'delivery_id', 'event_id', 'endpoint_id'];

export interface Fitted {
  /** JSON of the (possibly cut) data; at most the budget in UTF-8 bytes. */
  json: string;
  truncated: boolean;
}

const bytes = (s: string) => Buffer.byteLength(s);

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  value: string;
}

function strings(v: unknown, out: Slot[]): Slot[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'string') out.push({ parent: v, key: i, value: x });
      else strings(x, out);
    });
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') out.push({ parent: v as Record<string, unknown>, key: k, value: x });
      else strings(x, out);
    }
  }
  return out;
}

/** The first `keep` characters of `s` and the marker, never splitting a surrogate pair. */
function cut(s: string, keep: number): string {
  let end = Math.max(0, keep);
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end) + TRUNCATION_MARKER;
}

/**
 * Makes a stream message's data fit `maxBytes` of JSON (PostgreSQL NOTIFY takes under 8000
 * bytes, and a live view has no use for a megabyte of output). The longest strings are cut
 * first, each ending with TRUNCATION_MARKER; if that is not enough, the largest top-level
 * values become null. A cut object gets `truncated: true`, so a client knows to fetch the
 * full thing by its id.
 */
export function fitJson(data: unknown, maxBytes: number): Fitted {
  const json = JSON.stringify(data) ?? 'null';
  if (bytes(json) <= maxBytes) return { json, truncated: false };
  const copy = JSON.parse(json) as unknown;
  if (!copy || typeof copy !== 'object' || Array.isArray(copy)) {
    // Not an object: nowhere to put the flag, so a cut string or nothing.
    const s = typeof copy === 'string' ? JSON.stringify(cut(copy, Math.floor(maxBytes / 4))) : 'null';
    return { json: bytes(s) <= maxBytes ? s : 'null', truncated: true };
  }
  const root = copy as Record<string, unknown>;
  root.truncated = true;
  let size = bytes(JSON.stringify(root));
  // Cut the longest string by at least the excess: each character removed saves at least one byte.
  for (let i = 0; i < 100 && size > maxBytes; i++) {
    const longest = strings(root, []).sort((a, b) => b.value.length - a.value.length)[0];
    if (!longest || longest.value.length < MIN_CUT) break;
    const keep = Math.max(MIN_CUT / 2, longest.value.length - (size - maxBytes) - MARKER_BYTES);
    (longest.parent as Record<string | number, unknown>)[longest.key] = cut(longest.value, keep);
    size = bytes(JSON.stringify(root));
  }
  while (size > maxBytes) {
    const [key, len] = Object.entries(root)
      .filter(([k, v]) => k !== 'truncated' && v !== null)
      .map(([k, v]) => [k, bytes(JSON.stringify(v) ?? '')] as const)
      .sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (!key || len < MIN_CUT) break;
    root[key] = null;
    size = bytes(JSON.stringify(root));
  }
  if (size <= maxBytes) return { json: JSON.stringify(root), truncated: true };
  // Thousands of small fields: keep what identifies the object.
  const ids: Record<string, unknown> = {};
  for (const k of ID_FIELDS) if (typeof root[k] === 'string' || typeof root[k] === 'number') ids[k] = root[k];
  ids.truncated = true;
  const s = JSON.stringify(ids);
  return { json: bytes(s) <= maxBytes ? s : '{"truncated":true}', truncated: true };
}
