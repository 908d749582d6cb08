/**
 * What a template can see of a value. Only plain data is reachable: own data properties of
 * plain objects and arrays, never a prototype, accessor, function or class instance, so a
 * template can neither reach `process` nor call anything nor change shared objects.
 */

/** Names that never resolve, even as own properties (e.g. from `JSON.parse('{"__proto__":…}')`). */
const BLOCKED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A context value as templates see it: functions, symbols and class instances become
 * undefined; a Date becomes its ISO string and a bigint its decimal string.
 */
export function sanitize(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null || Array.isArray(value) || isPlainObject(value)) return value;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
      return undefined;
    default:
      return undefined;
  }
}

/** An own, enumerable data property, sanitized; anything else is undefined. */
export function ownData(object: object, key: string): unknown {
  if (BLOCKED_KEYS.has(key)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor || !descriptor.enumerable || !('value' in descriptor)) return undefined;
  return sanitize(descriptor.value);
}

/** The keys a template may see on a plain object, in insertion order. */
export const visibleKeys = (object: PlainObject): string[] => Object.keys(object).filter((key) => ownData(object, key) !== undefined);

/** `object.key` / `object[key]`: indexes of arrays and strings (negative counts from the end), keys of plain objects. */
export function member(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) || typeof object === 'string') {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    const index = key < 0 ? object.length + key : key;
    if (index < 0 || index >= object.length) return undefined;
    return typeof object === 'string' ? object[index] : ownData(object, String(index));
  }
  if (!isPlainObject(object)) return undefined;
  if (typeof key === 'number' && Number.isFinite(key)) return ownData(object, String(key));
  return typeof key === 'string' ? ownData(object, key) : undefined;
}

/** Python/Jinja truthiness: empty strings, lists and objects, 0, NaN, none and undefined are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return visibleKeys(value).length > 0;
  return Boolean(value);
}

export function typeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'none';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'object' : typeof value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const JSON_NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\uD800-\uDFFF<>&']/;
const SHORT_ESCAPES = new Map([
  ['"', '\\"'],
  ['\\', '\\\\'],
  ['\b', '\\b'],
  ['\f', '\\f'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

/**
 * A string escaped as the inside of a JSON string literal: quotes, backslashes, control
 * characters, U+2028/U+2029 and lone surrogates. `htmlSafe` also escapes `< > & '` (as
 * Jinja's `tojson` does) so the JSON can sit inside HTML.
 */
export function jsonStringBody(text: string, htmlSafe = false): string {
  if (!JSON_NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const short = SHORT_ESCAPES.get(ch);
    if (short) out += short;
    else if (code < 0x20 || code === 0x2028 || code === 0x2029 || (htmlSafe && "<>&'".includes(ch))) out += unicodeEscape(code);
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) out += ch + text[++i];
    else if (code >= 0xd800 && code <= 0xdfff) out += unicodeEscape(code);
    else out += ch;
  }
  return out;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const unicodeEscape = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/** Lone surrogates (which `encodeURIComponent` throws on) replaced by U+FFFD. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** Percent-encoding of everything but RFC 3986 unreserved characters (and `/` if asked). */
export function percentEncode(text: string, keepSlash = false): string {
  const encoded = encodeURIComponent(wellFormed(text)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replaceAll('%2F', '/') : encoded;
}
