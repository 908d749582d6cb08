import type { Expr, Statement } from './ast.js';
import type { TemplateLimits } from './limits.js';
import { Runtime } from './runtime.js';
import { isPlainObject, jsonStringBody, member, ownData, percentEncode, truthy, typeName, visibleKeys } from './values.js';

/**
 * How `{{ … }}` output is escaped: not at all (text), as the inside of a JSON string (json),
 * percent-encoded (url), or refused if it holds a line break (header). An expression ending
 * in `| tojson` (json) or `| urlencode` (url) is already in the target syntax and is kept as is.
 */
export type OutputEscaping = 'text' | 'json' | 'url' | 'header';

const RAW_FILTER: Record<OutputEscaping, string | null> = { text: null, json: 'tojson', url: 'urlencode', header: null };
/** Characters a header value may not hold: CR and LF (header injection), and other controls but tab. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
export const HEADER_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Walks the statements once, synchronously, within the step and output limits. */
export function render(source: string, body: Statement[], context: object, limits: TemplateLimits, escaping: OutputEscaping): string {
  const rt = new Runtime(source, limits);
  const out: string[] = [];
  let bytes = 0;
  const scopes: Map<string, unknown>[] = [];

  const emit = (text: string) => {
    bytes += Buffer.byteLength(text, 'utf8');
    if (bytes > limits.maxOutputBytes) throw rt.tooLarge();
    rt.step(text.length);
    out.push(text);
  };

  const escape = (expr: Expr, text: string) => {
    if (expr.type === 'filter' && expr.filter.name === RAW_FILTER[escaping]) return text;
    if (escaping === 'json') return jsonStringBody(text);
    if (escaping === 'url') return percentEncode(text);
    if (escaping === 'header' && HEADER_FORBIDDEN.test(text)) {
      const what = /[\r\n]/.test(text) ? 'a line break (CR or LF)' : 'a control character';
      throw rt.fail(`this value contains ${what}, which a header value may not hold`, expr.offset);
    }
    return text;
  };

  function run(statements: Statement[]): void {
    for (const s of statements) {
      rt.offset = s.offset;
      rt.step();
      if (s.type === 'text') emit(s.value);
      else if (s.type === 'output') emit(escape(s.expr, rt.text(evaluate(s.expr))));
      else if (s.type === 'if') {
        const branch = s.branches.find((b) => truthy(evaluate(b.test)));
        if (branch) run(branch.body);
        else if (s.otherwise) run(s.otherwise);
      } else {
        const items = iterate(evaluate(s.iterable), s.offset);
        if (items.length === 0 && s.otherwise) run(s.otherwise);
        items.forEach((item, i) => {
          rt.step();
          scopes.push(
            new Map([
              [s.target, item],
              ['loop', loopInfo(i, items.length)],
            ]),
          );
          run(s.body);
          scopes.pop();
        });
      }
    }
  }

  function iterate(value: unknown, offset: number): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
      rt.checkCount(value.length);
      return value.map((_, i) => member(value, i));
    }
    if (typeof value === 'string') return Array.from(rt.checkSize(value));
    if (isPlainObject(value)) return visibleKeys(value);
    throw rt.fail(`cannot loop over a ${typeName(value)}`, offset);
  }

  function lookup(name: string): unknown {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return scopes[i]!.get(name);
    return ownData(context, name);
  }

  function evaluate(e: Expr): unknown {
    rt.offset = e.offset;
    rt.step();
    switch (e.type) {
      case 'literal':
        return e.value;
      case 'list':
        return e.items.map(evaluate);
      case 'name':
        return lookup(e.name);
      case 'member':
        return member(evaluate(e.object), evaluate(e.key));
      case 'not':
        return !truthy(evaluate(e.operand));
      case 'negate': {
        const value = evaluate(e.operand);
        if (typeof value !== 'number') throw rt.fail(`unary "${e.sign}" needs a number, got ${typeName(value)}`, e.offset);
        return e.sign === '-' ? -value : value;
      }
      case 'logical': {
        // Like Jinja (and Python): the deciding operand itself, not a boolean.
        const left = evaluate(e.left);
        return truthy(left) === (e.op === 'and') ? evaluate(e.right) : left;
      }
      case 'conditional':
        return truthy(evaluate(e.test)) ? evaluate(e.then) : e.otherwise ? evaluate(e.otherwise) : undefined;
      case 'filter': {
        const input = evaluate(e.input);
        const args = e.filter.args.map((a) => (a ? evaluate(a) : undefined));
        rt.offset = e.offset;
        return e.filter.definition.apply(input, args, rt);
      }
      case 'test':
        return test(e.test, evaluate(e.operand)) !== e.negated;
      case 'binary':
        return binary(e.op, evaluate(e.left), evaluate(e.right), e.offset);
    }
  }

  function test(name: string, value: unknown): boolean {
    if (name === 'defined') return value !== undefined;
    if (name === 'undefined') return value === undefined;
    if (name === 'none') return value === null;
    return typeof value === name;
  }

  function binary(op: string, left: unknown, right: unknown, offset: number): unknown {
    switch (op) {
      case '~':
        return rt.checkSize(rt.text(left) + rt.text(right));
      case '==':
        return equal(left, right, 0);
      case '!=':
        return !equal(left, right, 0);
      case 'in':
        return contains(right, left, offset);
      case 'not in':
        return !contains(right, left, offset);
      case '<':
      case '>':
      case '<=':
      case '>=':
        return compare(op, left, right, offset);
    }
    if (typeof left !== 'number' || typeof right !== 'number') {
      const hint = op === '+' && (typeof left === 'string' || typeof right === 'string') ? '; use ~ to join strings' : '';
      throw rt.fail(`operator "${op}" needs two numbers, got ${typeName(left)} and ${typeName(right)}${hint}`, offset);
    }
    if ((op === '/' || op === '%') && right === 0) throw rt.fail('division by zero', offset);
    if (op === '+') return left + right;
    if (op === '-') return left - right;
    if (op === '*') return left * right;
    if (op === '/') return left / right;
    return ((left % right) + right) % right; // Python's modulo takes the divisor's sign
  }

  function compare(op: string, left: unknown, right: unknown, offset: number): boolean {
    const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
    if (!comparable) throw rt.fail(`cannot compare ${typeName(left)} with ${typeName(right)} using "${op}"`, offset);
    const [a, b] = [left as number | string, right as number | string];
    return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
  }

  /** Structural equality; none and undefined are equal to each other. */
  function equal(a: unknown, b: unknown, depth: number): boolean {
    rt.step();
    if (depth > limits.maxDepth) throw rt.fail(`values are nested more than ${limits.maxDepth} levels deep`);
    if (a === b || ((a === undefined || a === null) && (b === undefined || b === null))) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((_, i) => equal(member(a, i), member(b, i), depth + 1));
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = visibleKeys(a);
      return keys.length === visibleKeys(b).length && keys.every((k) => equal(ownData(a, k), ownData(b, k), depth + 1));
    }
    return false;
  }

  function contains(container: unknown, item: unknown, offset: number): boolean {
    if (container === undefined || container === null) return false;
    if (typeof container === 'string') {
      if (typeof item !== 'string') throw rt.fail(`"in" a string needs a string to look for, got ${typeName(item)}`, offset);
      rt.step(container.length);
      return container.includes(item);
    }
    if (Array.isArray(container)) return container.some((_, i) => equal(member(container, i), item, 0));
    if (isPlainObject(container)) return typeof item === 'string' && ownData(container, item) !== undefined;
    throw rt.fail(`"in" needs a list, a string or an object on its right, got ${typeName(container)}`, offset);
  }

  run(body);
  return out.join('');
}

function loopInfo(index: number, length: number): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, {
    index: index + 1,
    index0: index,
    first: index === 0,
    last: index === length - 1,
    length,
    revindex: length - index,
    revindex0: length - index - 1,
  });
}
