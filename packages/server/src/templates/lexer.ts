import { errorAt, where } from './errors.js';

/**
 * Splits template source into literal text and the tokens inside `{{ … }}` and `{% … %}`.
 * Comments and whitespace control (`{%-`, `-%}` …) are resolved here; `{% raw %}` bodies
 * come out as plain text. Every token keeps its source offset for error positions.
 */
export type Token =
  | { kind: 'text'; value: string; offset: number }
  | { kind: 'open'; tag: 'output' | 'block'; offset: number }
  | { kind: 'close'; tag: 'output' | 'block'; offset: number }
  | { kind: 'name'; value: string; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'op'; value: string; offset: number }
  | { kind: 'eof'; offset: number };

const OPERATORS = ['==', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', '.', ',', '|', '~', '+', '-', '*', '/', '%', '<', '>', '=', ':'];
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const INTEGER = /\d+/y;
const RAW_OPEN = /\{%(-?)\s*raw\s*(-?)%\}/y;
const RAW_CLOSE = /\{%(-?)\s*endraw\s*(-?)%\}/g;
const ESCAPES = new Map(Object.entries({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f' }));

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const fail = (offset: number, message: string) => errorAt(source, offset, message);
  let pos = 0;
  let trimNext = false; // the previous tag ended with `-%}`: strip leading whitespace of the next text

  const pushText = (from: number, to: number, trimEnd: boolean) => {
    let text = source.slice(from, to);
    if (trimNext) text = text.trimStart();
    if (trimEnd) text = text.trimEnd();
    if (text) tokens.push({ kind: 'text', value: text, offset: from });
  };

  while (pos < source.length) {
    const start = nextDelimiter(source, pos);
    if (start === -1) {
      pushText(pos, source.length, false);
      break;
    }
    const kind = source[start + 1];
    pushText(pos, start, source[start + 2] === '-');
    trimNext = false;

    if (kind === '#') {
      const end = source.indexOf('#}', start + 2);
      if (end === -1) throw fail(start, 'unclosed comment: "{#" has no matching "#}"');
      trimNext = source[end - 1] === '-' && end - 1 > start + 2;
      pos = end + 2;
      continue;
    }

    RAW_OPEN.lastIndex = start;
    const raw = RAW_OPEN.exec(source);
    if (raw) {
      RAW_CLOSE.lastIndex = RAW_OPEN.lastIndex;
      const close = RAW_CLOSE.exec(source);
      if (!close) throw fail(start, `unclosed {% raw %} opened at ${where(source, start)}: expected {% endraw %}`);
      trimNext = raw[2] === '-';
      pushText(RAW_OPEN.lastIndex, close.index, close[1] === '-');
      trimNext = close[2] === '-';
      pos = RAW_CLOSE.lastIndex;
      continue;
    }

    const tag = kind === '{' ? 'output' : 'block';
    tokens.push({ kind: 'open', tag, offset: start });
    const end = lexExpression(source, start + (source[start + 2] === '-' ? 3 : 2), tag, tokens, fail);
    trimNext = source[end] === '-';
    tokens.push({ kind: 'close', tag, offset: end });
    pos = end + (trimNext ? 3 : 2);
  }
  tokens.push({ kind: 'eof', offset: source.length });
  return tokens;
}

function nextDelimiter(source: string, from: number): number {
  for (let i = source.indexOf('{', from); i !== -1; i = source.indexOf('{', i + 1)) {
    const next = source[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

/** Lexes one tag's inside; returns the offset of its closing delimiter (at its `-` if trimmed). */
function lexExpression(source: string, pos: number, tag: 'output' | 'block', tokens: Token[], fail: (offset: number, message: string) => Error): number {
  const opened = pos;
  const closer = tag === 'output' ? '}}' : '%}';
  for (;;) {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
    if (pos >= source.length) {
      const open = tag === 'output' ? '{{' : '{%';
      throw fail(opened - 2, `unclosed ${open} opened at ${where(source, opened - 2)}: expected "${closer}"`);
    }
    if (source.startsWith(closer, pos)) return pos;
    if (source[pos] === '-' && source.startsWith(closer, pos + 1)) return pos;

    const ch = source[pos]!;
    const previous = tokens[tokens.length - 1];
    if (ch === '"' || ch === "'") {
      pos = lexString(source, pos, tokens, fail);
      continue;
    }
    if (/\d/.test(ch)) {
      // After a dot only an integer index can follow (`items.0.name`), never a float.
      const pattern = previous?.kind === 'op' && previous.value === '.' ? INTEGER : NUMBER;
      pattern.lastIndex = pos;
      const text = pattern.exec(source)![0];
      tokens.push({ kind: 'number', value: Number(text), offset: pos });
      pos += text.length;
      continue;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ kind: 'name', value: name[0], offset: pos });
      pos += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, pos));
    if (!op) throw fail(pos, `unexpected character ${JSON.stringify(ch)}`);
    tokens.push({ kind: 'op', value: op, offset: pos });
    pos += op.length;
  }
}

function lexString(source: string, pos: number, tokens: Token[], fail: (offset: number, message: string) => Error): number {
  const quote = source[pos]!;
  const start = pos;
  let value = '';
  pos++;
  while (pos < source.length && source[pos] !== quote) {
    if (source[pos] === '\\') {
      const next = source[pos + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(pos + 2, pos + 6))) {
        value += String.fromCharCode(parseInt(source.slice(pos + 2, pos + 6), 16));
        pos += 6;
        continue;
      }
      value += ESCAPES.get(next) ?? `\\${next}`;
      pos += 2;
      continue;
    }
    value += source[pos];
    pos++;
  }
  if (pos >= source.length) throw fail(start, 'unterminated string literal');
  tokens.push({ kind: 'string', value, offset: start });
  return pos + 1;
}
