import { TESTS, type BinaryOp, type Expr, type FilterCall, type Statement, type TestName } from './ast.js';
import { didYouMean, errorAt, where } from './errors.js';
import { FILTERS } from './filters.js';
import type { TemplateLimits } from './limits.js';
import type { Token } from './lexer.js';

export interface ParsedTemplate {
  body: Statement[];
  /** Context variables the template reads (loop variables excluded), in order of first use. */
  variables: string[];
}

const LITERALS = new Map<string, boolean | null>([
  ['true', true],
  ['True', true],
  ['false', false],
  ['False', false],
  ['none', null],
  ['None', null],
]);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const BLOCK_TAGS = ['if', 'elif', 'else', 'endif', 'for', 'endfor', 'raw', 'endraw'];
/** Jinja tags deliberately left out: they define, import or run things. */
const UNSUPPORTED_TAGS = new Set([
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'include',
  'import',
  'from',
  'extends',
  'block',
  'endblock',
  'filter',
  'endfilter',
  'with',
  'endwith',
  'autoescape',
  'endautoescape',
  'do',
  'break',
  'continue',
  'trans',
  'endtrans',
]);
const CALLS_REFUSED = 'function calls are not supported in templates; use a filter instead, e.g. {{ value | upper }}';

type ExprFields = Expr extends infer E ? (E extends unknown ? Omit<E, 'depth'> : never) : never;
type Open = { tag: 'if' | 'for'; offset: number };

/** Recursive descent over the tokens, Jinja2's grammar and operator precedence. */
export function parse(source: string, tokens: Token[], limits: TemplateLimits): ParsedTemplate {
  let pos = 0;
  let blockDepth = 0;
  let exprDepth = 0;
  const loopVariables: string[] = [];
  const variables = new Set<string>();

  const fail = (offset: number, message: string) => errorAt(source, offset, message);
  const peek = (ahead = 0): Token => tokens[Math.min(pos + ahead, tokens.length - 1)]!;
  const next = (): Token => tokens[pos++]!;
  const isOp = (value: string, t = peek()) => t.kind === 'op' && t.value === value;
  const isName = (value: string, t = peek()) => t.kind === 'name' && t.value === value;
  const describe = (t: Token) => {
    if (t.kind === 'eof') return 'the end of the template';
    if (t.kind === 'close') return `"${t.tag === 'output' ? '}}' : '%}'}"`;
    if (t.kind === 'string') return `string ${JSON.stringify(t.value)}`;
    return `"${'value' in t ? t.value : t.kind}"`;
  };
  const unexpected = (t: Token, expected?: string) => {
    if (isOp('(', t)) return fail(t.offset, CALLS_REFUSED);
    return fail(t.offset, expected ? `expected ${expected} but found ${describe(t)}` : `unexpected ${describe(t)}`);
  };
  const expectOp = (value: string) => {
    if (!isOp(value)) throw unexpected(peek(), `"${value}"`);
    return next();
  };
  const expectClose = (tag: 'output' | 'block') => {
    const t = peek();
    if (t.kind !== 'close' || t.tag !== tag) throw unexpected(t, tag === 'output' ? '"}}"' : '"%}"');
    next();
  };

  /** Builds an expression node, refusing one nested deeper than the limit. */
  const node = (fields: ExprFields, ...children: (Expr | null | undefined)[]): Expr => {
    const depth = 1 + Math.max(0, ...children.map((c) => c?.depth ?? 0));
    if (depth > limits.maxDepth) throw fail(fields.offset, `expression is nested more than ${limits.maxDepth} levels deep`);
    return { ...fields, depth };
  };
  const nested = <T>(offset: number, parseInner: () => T): T => {
    if (++exprDepth > limits.maxDepth) throw fail(offset, `expression is nested more than ${limits.maxDepth} levels deep`);
    const result = parseInner();
    exprDepth--;
    return result;
  };

  // ---- statements ----

  function parseBody(open: Open | null, ends: string[]): { body: Statement[]; end: string } {
    const body: Statement[] = [];
    for (;;) {
      const t = next();
      if (t.kind === 'text') body.push({ type: 'text', value: t.value, offset: t.offset });
      else if (t.kind === 'open' && t.tag === 'output') {
        const expr = parseExpression();
        expectClose('output');
        body.push({ type: 'output', expr, offset: t.offset });
      } else if (t.kind === 'open') {
        const name = peek();
        if (name.kind !== 'name') throw unexpected(name, 'a tag name such as "if" or "for"');
        next();
        if (ends.includes(name.value)) return { body, end: name.value };
        if (name.value === 'if') body.push(parseIf(t.offset));
        else if (name.value === 'for') body.push(parseFor(t.offset));
        else throw unknownTag(name.value, name.offset, open);
      } else if (t.kind === 'eof') {
        if (open) throw fail(open.offset, `unclosed {% ${open.tag} %} opened at ${where(source, open.offset)}: expected {% end${open.tag} %}`);
        return { body, end: '' };
      } else throw unexpected(t);
    }
  }

  function unknownTag(name: string, offset: number, open: Open | null) {
    if (UNSUPPORTED_TAGS.has(name)) return fail(offset, `{% ${name} %} is not supported in Hookline templates`);
    if (BLOCK_TAGS.includes(name)) {
      const context = open ? `inside {% ${open.tag} %} opened at ${where(source, open.offset)}` : 'here: no matching block is open';
      return fail(offset, `unexpected {% ${name} %} ${context}`);
    }
    return fail(offset, `unknown tag "${name}"${didYouMean(name, BLOCK_TAGS)}`);
  }

  function enterBlock(offset: number) {
    if (++blockDepth > limits.maxDepth) throw fail(offset, `blocks are nested more than ${limits.maxDepth} levels deep`);
  }

  function parseIf(offset: number): Statement {
    enterBlock(offset);
    const open: Open = { tag: 'if', offset };
    const branches: { test: Expr; body: Statement[] }[] = [];
    let test = parseExpression();
    expectClose('block');
    let otherwise: Statement[] | null = null;
    for (;;) {
      const { body, end } = parseBody(open, ['elif', 'else', 'endif']);
      branches.push({ test, body });
      if (end === 'elif') {
        test = parseExpression();
        expectClose('block');
        continue;
      }
      expectClose('block');
      if (end === 'else') {
        otherwise = parseBody(open, ['endif']).body;
        expectClose('block');
      }
      break;
    }
    blockDepth--;
    return { type: 'if', branches, otherwise, offset };
  }

  function parseFor(offset: number): Statement {
    enterBlock(offset);
    const open: Open = { tag: 'for', offset };
    const target = peek();
    if (target.kind !== 'name' || KEYWORDS.has(target.value) || LITERALS.has(target.value)) throw unexpected(target, 'a loop variable name');
    next();
    if (isOp(',')) throw fail(peek().offset, 'unpacking several loop variables is not supported; loop over one value');
    if (!isName('in')) throw unexpected(peek(), '"in"');
    next();
    const iterable = parseOr();
    if (isName('if')) throw fail(peek().offset, 'loop filtering ({% for … if … %}) is not supported; put an {% if %} inside the loop');
    expectClose('block');
    loopVariables.push(target.value, 'loop');
    const { body, end } = parseBody(open, ['else', 'endfor']);
    loopVariables.length -= 2;
    expectClose('block');
    let otherwise: Statement[] | null = null;
    if (end === 'else') {
      otherwise = parseBody(open, ['endfor']).body;
      expectClose('block');
    }
    blockDepth--;
    return { type: 'for', target: target.value, iterable, body, otherwise, offset };
  }

  // ---- expressions, loosest binding first ----

  function parseExpression(): Expr {
    return nested(peek().offset, () => {
      const value = parseOr();
      if (!isName('if')) return value;
      const offset = next().offset;
      const test = parseOr();
      let otherwise: Expr | null = null;
      if (isName('else')) {
        next();
        otherwise = parseExpression();
      }
      return node({ type: 'conditional', test, then: value, otherwise, offset }, test, value, otherwise);
    });
  }

  function parseLogical(op: 'and' | 'or', parseOperand: () => Expr): Expr {
    let left = parseOperand();
    while (isName(op)) {
      const offset = next().offset;
      const right = parseOperand();
      left = node({ type: 'logical', op, left, right, offset }, left, right);
    }
    return left;
  }
  const parseOr = (): Expr => parseLogical('or', parseAnd);
  const parseAnd = (): Expr => parseLogical('and', parseNot);

  function parseNot(): Expr {
    if (!isName('not')) return parseCompare();
    const offset = next().offset;
    const operand = nested(offset, parseNot);
    return node({ type: 'not', operand, offset }, operand);
  }

  function comparisonAhead(): BinaryOp | null {
    const t = peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) return t.value as BinaryOp;
    if (isName('in')) return 'in';
    if (isName('not') && isName('in', peek(1))) return 'not in';
    return null;
  }

  function parseCompare(): Expr {
    const left = parseBinary(['+', '-'], () => parseBinary(['~'], () => parseBinary(['*', '/', '%'], parseUnary)));
    const op = comparisonAhead();
    if (!op) return left;
    const offset = peek().offset;
    pos += op === 'not in' ? 2 : 1;
    const right = parseBinary(['+', '-'], () => parseBinary(['~'], () => parseBinary(['*', '/', '%'], parseUnary)));
    if (comparisonAhead()) throw fail(peek().offset, 'chained comparisons are not supported; combine them with "and"');
    return node({ type: 'binary', op, left, right, offset }, left, right);
  }

  function parseBinary(ops: string[], parseOperand: () => Expr): Expr {
    let left = parseOperand();
    for (let t = peek(); t.kind === 'op' && ops.includes(t.value); t = peek()) {
      next();
      const right = parseOperand();
      left = node({ type: 'binary', op: t.value as BinaryOp, left, right, offset: t.offset }, left, right);
    }
    return left;
  }

  function parseUnary(): Expr {
    if (!isOp('-') && !isOp('+')) return parseFiltered();
    const { offset } = next();
    const sign = isOp('-', tokens[pos - 1]) ? '-' : '+';
    const operand = nested(offset, parseUnary);
    if (operand.type === 'literal' && typeof operand.value === 'number') return { ...operand, value: sign === '-' ? -operand.value : operand.value, offset };
    return node({ type: 'negate', operand, sign, offset }, operand);
  }

  function parseFiltered(): Expr {
    let expr = parsePostfix(parsePrimary());
    for (;;) {
      if (isOp('|')) {
        next();
        const filter = parseFilterCall();
        expr = node({ type: 'filter', input: expr, filter, offset: filter.offset }, expr, ...filter.args);
      } else if (isName('is')) {
        const offset = next().offset;
        const negated = isName('not');
        if (negated) next();
        const name = peek();
        if (name.kind !== 'name' || !TESTS.includes(name.value as TestName))
          throw fail(name.offset, `unknown test ${describe(name)}; supported: ${TESTS.join(', ')}`);
        next();
        expr = node({ type: 'test', operand: expr, test: name.value as TestName, negated, offset }, expr);
      } else return expr;
    }
  }

  function parseFilterCall(): FilterCall {
    const name = peek();
    if (name.kind !== 'name') throw unexpected(name, 'a filter name');
    next();
    const definition = FILTERS.get(name.value);
    if (!definition) throw fail(name.offset, `unknown filter "${name.value}"${didYouMean(name.value, FILTERS.keys())}`);
    const args: (Expr | undefined)[] = [];
    if (!isOp('(')) return { name: name.value, definition, args, offset: name.offset };
    next();
    const params = definition.params.map((p) => p.name);
    let keywordSeen = false;
    while (!isOp(')')) {
      const t = peek();
      let index = args.length;
      if (t.kind === 'name' && isOp('=', peek(1))) {
        index = params.indexOf(t.value);
        if (index === -1) throw fail(t.offset, `filter "${name.value}" has no argument "${t.value}"${didYouMean(t.value, params)}`);
        if (args[index]) throw fail(t.offset, `argument "${t.value}" of filter "${name.value}" is given twice`);
        keywordSeen = true;
        pos += 2;
      } else if (keywordSeen) throw fail(t.offset, 'a positional argument cannot follow a keyword argument');
      if (index >= params.length)
        throw fail(
          t.offset,
          `filter "${name.value}" takes ${params.length ? `at most ${params.length} argument${params.length > 1 ? 's' : ''}` : 'no arguments'}`,
        );
      args[index] = parseExpression();
      if (!isOp(',')) break;
      next();
    }
    expectOp(')');
    definition.params.forEach((p, i) => {
      if (p.required && !args[i]) throw fail(name.offset, `filter "${name.value}" needs argument "${p.name}"`);
    });
    return { name: name.value, definition, args, offset: name.offset };
  }

  function parsePostfix(start: Expr): Expr {
    let expr = start;
    for (;;) {
      const t = peek();
      if (isOp('.')) {
        next();
        const key = next();
        if (key.kind !== 'name' && key.kind !== 'number') throw unexpected(key, 'an attribute name after "."');
        const keyExpr = node({ type: 'literal', value: key.value, offset: key.offset });
        expr = node({ type: 'member', object: expr, key: keyExpr, offset: t.offset }, expr);
      } else if (isOp('[')) {
        next();
        const key = parseExpression();
        if (isOp(':')) throw fail(peek().offset, 'slices are not supported');
        expectOp(']');
        expr = node({ type: 'member', object: expr, key, offset: t.offset }, expr, key);
      } else if (isOp('(')) throw fail(t.offset, CALLS_REFUSED);
      else return expr;
    }
  }

  function parsePrimary(): Expr {
    const t = next();
    if (t.kind === 'string' || t.kind === 'number') return node({ type: 'literal', value: t.value, offset: t.offset });
    if (t.kind === 'name') {
      if (LITERALS.has(t.value)) return node({ type: 'literal', value: LITERALS.get(t.value)!, offset: t.offset });
      if (KEYWORDS.has(t.value)) throw fail(t.offset, `unexpected keyword "${t.value}"`);
      if (!loopVariables.includes(t.value)) variables.add(t.value);
      return node({ type: 'name', name: t.value, offset: t.offset });
    }
    if (isOp('(', t)) {
      const inner = parseExpression();
      expectOp(')');
      return inner;
    }
    if (isOp('[', t)) {
      const items: Expr[] = [];
      while (!isOp(']')) {
        items.push(parseExpression());
        if (!isOp(',')) break;
        next();
      }
      expectOp(']');
      return node({ type: 'list', items, offset: t.offset }, ...items);
    }
    if (isOp('{', t)) throw fail(t.offset, 'object literals are not supported');
    pos--;
    throw unexpected(t, 'a value');
  }

  const { body } = parseBody(null, []);
  return { body, variables: [...variables] };
}
