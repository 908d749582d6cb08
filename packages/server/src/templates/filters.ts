import type { Runtime } from './runtime.js';
import { isPlainObject, member, percentEncode, truthy, typeName, visibleKeys } from './values.js';

/**
 * The filters a template may use: Jinja2's names, arguments and behaviour for the subset
 * Hookline supports. Arity and argument names are checked when a template is compiled;
 * argument types when it renders. Filters never call anything from the context.
 */
export interface FilterDefinition {
  params: readonly { name: string; required?: boolean }[];
  /** `args[i]` is undefined when parameter i was not given. */
  apply(value: unknown, args: unknown[], rt: Runtime): unknown;
}

const HTML_ESCAPES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&#34;'],
  ["'", '&#39;'],
]);

function integer(rt: Runtime, value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw rt.fail(`${what} must be a whole number from ${min} to ${max}, got ${typeName(value) === 'number' ? value : typeName(value)}`);
  }
  return value;
}

function numeric(rt: Runtime, value: unknown, filter: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw rt.fail(`filter "${filter}" needs a number, got ${typeName(value)}`);
}

/** Python's `int(text, base)`, or undefined where Python raises. */
function parseInteger(text: string, base: number): number | undefined {
  const prefixes: Record<number, string> = { 2: '0b', 8: '0o', 16: '0x' };
  let body = text.trim().replaceAll('_', '').toLowerCase();
  const negative = body.startsWith('-');
  if (negative || body.startsWith('+')) body = body.slice(1);
  const prefix = prefixes[base];
  if (prefix && body.startsWith(prefix)) body = body.slice(2);
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (body === '' || [...body].some((c) => !digits.includes(c))) return undefined;
  const n = parseInt(body, base);
  return negative ? -n : n;
}

const chars = (text: string) => Array.from(text);

function itemsOf(rt: Runtime, value: unknown, filter: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    rt.checkCount(value.length);
    rt.step(value.length);
    return value.map((_, i) => member(value, i));
  }
  if (typeof value === 'string') return chars(value);
  if (isPlainObject(value)) return visibleKeys(value);
  throw rt.fail(`filter "${filter}" needs a list, a string or an object, got ${typeName(value)}`);
}

function replace(rt: Runtime, text: string, old: string, replacement: string, count: number): string {
  const segments = old === '' ? ['', ...chars(text), ''] : text.split(old);
  const occurrences = segments.length - 1;
  const replaced = count < 0 ? occurrences : Math.min(count, occurrences);
  if (text.length + replaced * (replacement.length - old.length) > rt.limits.maxOutputBytes) throw rt.tooLarge();
  const head = segments.slice(0, replaced + 1).join(replacement);
  return rt.checkSize(replaced < occurrences ? head + old + segments.slice(replaced + 1).join(old) : head);
}

function join(rt: Runtime, items: unknown[], separator: string): string {
  let size = 0;
  const parts = items.map((item) => {
    rt.step();
    const text = rt.text(item);
    size += text.length + separator.length;
    if (size > rt.limits.maxOutputBytes + separator.length) throw rt.tooLarge();
    return text;
  });
  return rt.checkSize(parts.join(separator));
}

function length(rt: Runtime, value: unknown): number {
  if (typeof value === 'string') {
    rt.step(value.length);
    return chars(value).length;
  }
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') throw rt.fail(`filter "length" needs a list, a string or an object, got ${typeName(value)}`);
  return itemsOf(rt, value, 'length').length;
}

function truncate(rt: Runtime, value: unknown, [length = 255, killwords, end = '...', leeway = 5]: unknown[]): string {
  const text = rt.text(value);
  const max = integer(rt, length, 'truncate length', 0, Number.MAX_SAFE_INTEGER);
  const slack = integer(rt, leeway, 'truncate leeway', 0, Number.MAX_SAFE_INTEGER);
  const marker = rt.text(end);
  rt.step(text.length);
  const all = chars(text);
  if (all.length <= max + slack) return text;
  const markerLength = chars(marker).length;
  if (max < markerLength) throw rt.fail(`truncate length ${max} is shorter than its end marker ${JSON.stringify(marker)}`);
  let kept = all.slice(0, max - markerLength).join('');
  if (!truthy(killwords)) {
    const lastSpace = kept.lastIndexOf(' ');
    if (lastSpace !== -1) kept = kept.slice(0, lastSpace);
  }
  return kept + marker;
}

function urlencode(rt: Runtime, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (isPlainObject(value)) {
    const query = (s: string) => percentEncode(s).replaceAll('%20', '+');
    return rt.checkSize(
      visibleKeys(value)
        .map((key) => `${query(key)}=${query(rt.text(value[key]))}`)
        .join('&'),
    );
  }
  if (Array.isArray(value)) throw rt.fail('filter "urlencode" needs a string or an object, got list');
  return rt.checkSize(percentEncode(rt.text(value), true));
}

function round(rt: Runtime, value: unknown, [precision = 0, method = 'common']: unknown[]): number {
  const x = numeric(rt, value, 'round');
  const factor = 10 ** integer(rt, precision, 'round precision', 0, 15);
  if (method === 'ceil') return Math.ceil(x * factor) / factor;
  if (method === 'floor') return Math.floor(x * factor) / factor;
  if (method !== 'common') throw rt.fail(`round method must be "common", "ceil" or "floor", got ${JSON.stringify(rt.text(method))}`);
  return (Math.sign(x) * Math.round(Math.abs(x) * factor)) / factor;
}

function toInt(rt: Runtime, value: unknown, [fallback = 0, base = 10]: unknown[]): unknown {
  const radix = integer(rt, base, 'int base', 2, 36);
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : fallback;
  if (typeof value !== 'string') return fallback;
  const parsed = parseInteger(value, radix) ?? (radix === 10 && value.trim() !== '' ? Math.trunc(Number(value)) : undefined);
  return parsed !== undefined && Number.isFinite(parsed) ? parsed : fallback;
}

function toFloat(value: unknown, [fallback = 0]: unknown[]): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return fallback;
}

function trim(text: string, strip: unknown): string {
  if (strip === undefined || strip === null) return text.trim();
  const set = new Set(chars(String(strip)));
  const all = chars(text);
  let [start, end] = [0, all.length];
  while (start < end && set.has(all[start]!)) start++;
  while (end > start && set.has(all[end - 1]!)) end--;
  return all.slice(start, end).join('');
}

const stringFilter = (transform: (text: string) => string): FilterDefinition => ({
  params: [],
  apply: (value, _args, rt) => rt.checkSize(transform(rt.text(value))),
});

const capitalizeWord = (word: string) => word.slice(0, 1).toUpperCase() + word.slice(1).toLowerCase();

const defaultFilter: FilterDefinition = {
  params: [{ name: 'default_value' }, { name: 'boolean' }],
  apply: (value, [fallback = '', boolean]) => (value === undefined || value === null || (truthy(boolean) && !truthy(value)) ? fallback : value),
};

const escapeFilter = stringFilter((text) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES.get(c)!));

export const FILTERS: ReadonlyMap<string, FilterDefinition> = new Map<string, FilterDefinition>([
  ['default', defaultFilter],
  ['d', defaultFilter],
  [
    'truncate',
    { params: [{ name: 'length' }, { name: 'killwords' }, { name: 'end' }, { name: 'leeway' }], apply: (v, args, rt) => rt.checkSize(truncate(rt, v, args)) },
  ],
  ['upper', stringFilter((text) => text.toUpperCase())],
  ['lower', stringFilter((text) => text.toLowerCase())],
  [
    'title',
    stringFilter((text) =>
      text
        .split(/([-\s({[<]+)/)
        .map(capitalizeWord)
        .join(''),
    ),
  ],
  ['capitalize', stringFilter(capitalizeWord)],
  ['trim', { params: [{ name: 'chars' }], apply: (v, [strip], rt) => rt.checkSize(trim(rt.text(v), strip)) }],
  ['length', { params: [], apply: (v, _args, rt) => length(rt, v) }],
  ['join', { params: [{ name: 'd' }], apply: (v, [separator = ''], rt) => join(rt, itemsOf(rt, v, 'join'), rt.text(separator)) }],
  [
    'replace',
    {
      params: [{ name: 'old', required: true }, { name: 'new', required: true }, { name: 'count' }],
      apply: (v, [old, replacement, count], rt) =>
        replace(
          rt,
          rt.text(v),
          rt.text(old),
          rt.text(replacement),
          count === undefined || count === null ? -1 : integer(rt, count, 'replace count', -1, Number.MAX_SAFE_INTEGER),
        ),
    },
  ],
  ['tojson', { params: [{ name: 'indent' }], apply: (v, [indent = 0], rt) => rt.checkSize(rt.json(v, integer(rt, indent, 'tojson indent', 0, 16), true)) }],
  ['escape', escapeFilter],
  ['e', escapeFilter],
  ['urlencode', { params: [], apply: (v, _args, rt) => urlencode(rt, v) }],
  ['first', { params: [], apply: (v, _args, rt) => itemsOf(rt, v, 'first')[0] }],
  ['last', { params: [], apply: (v, _args, rt) => itemsOf(rt, v, 'last').at(-1) }],
  ['round', { params: [{ name: 'precision' }, { name: 'method' }], apply: (v, args, rt) => round(rt, v, args) }],
  ['int', { params: [{ name: 'default' }, { name: 'base' }], apply: (v, args, rt) => toInt(rt, v, args) }],
  ['float', { params: [{ name: 'default' }], apply: (v, args) => toFloat(v, args) }],
  ['string', stringFilter((text) => text)],
]);
