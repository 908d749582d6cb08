import { isUtf8 } from 'node:buffer';

/** A request as the capture URL received it; api/ fills it in from the HTTP layer. */
export interface IncomingRequest {
  method: string;
  /** Path and query string, as received. */
  url: string;
  /** Node's raw header list: name, value, name, value… in arrival order. */
  rawHeaders: string[];
  body: Buffer;
  remoteAddress: string;
}

/** name → value from pairs in order; a name given more than once keeps every value, joined with ", ". */
function joinRepeated(pairs: Iterable<[string, string]>): Record<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of pairs) {
    const seen = out.get(name);
    out.set(name, seen === undefined ? value : `${seen}, ${value}`);
  }
  return Object.fromEntries(out);
}

/**
 * Lower-case name → value, as received. A header sent more than once keeps every value
 * (Node's own parsing drops repeats of some headers).
 */
export function headerRecord(raw: string[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return joinRepeated(pairs);
}

/** The query string of `url` as name → value; a name given twice keeps both values. */
export function queryRecord(url: string): Record<string, string> {
  const q = url.indexOf('?');
  return joinRepeated(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
}

/**
 * The bytes to store: the body, cut to `max` bytes. A UTF-8 body is cut at a character
 * boundary, so what is stored still reads as text.
 */
export function cutBody(body: Buffer, max: number): { stored: Buffer; truncated: boolean } {
  if (body.length <= max) return { stored: body, truncated: false };
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the character the cut would split.
  if (isUtf8(body)) while (end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  return { stored: body.subarray(0, end), truncated: true };
}

/** The stored bytes as the API shows them: text, plus base64 when they are not valid UTF-8. */
export function bodyView(stored: Buffer): { body: string; body_base64: string | null } {
  return { body: stored.toString('utf8'), body_base64: isUtf8(stored) ? null : stored.toString('base64') };
}
