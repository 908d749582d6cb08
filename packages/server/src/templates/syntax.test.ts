import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate, TemplateError } from './index.js';

const r = (text: string, context: object = {}) => renderTemplate(text, context, { mode: 'text' });
const failure = (f: () => unknown): TemplateError => {
  try {
    f();
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error('expected a TemplateError');
};
const compileFailure = (text: string) => failure(() => compileTemplate(text));

describe('output and expressions', () => {
  const ctx = { name: 'Ada', run: { id: 'r1', steps: [{ tool: 'search' }, { tool: 'fetch' }], 'odd key': 7 }, n: 7, empty: '' };

  it('prints variables, dotted and bracketed members, indexes and literals', () => {
    expect(r('Hi {{ name }}, run {{run.id}}')).toBe('Hi , run ');
    expect(r('Hi {{ name }}, run {{run.id}}', ctx)).toBe('Hi Ada, run r1');
    expect(r("{{ run.steps[1].tool }} {{ run['steps'].0['tool'] }} {{ run.steps[-1].tool }} {{ run['odd key'] }}", ctx)).toBe('fetch search fetch 7');
    expect(r(`{{ "dq \\"x\\" \\n" }}|{{ 'sq \\'y\\'' }}|{{ 42 }}|{{ -1.5 }}|{{ 1e3 }}|{{ '\\u00e9' }}`)).toBe('dq "x" \n|sq \'y\'|42|-1.5|1000|é');
    expect(r('{{ true }} {{ False }} [{{ none }}] [{{ None }}] [{{ missing }}] [{{ missing.deeper[0] }}]')).toBe('true false [] [] [] []');
    expect(r('{{ [1, "two", [3]] }} {{ run }}', ctx)).toBe('[1,"two",[3]] {"id":"r1","steps":[{"tool":"search"},{"tool":"fetch"}],"odd key":7}');
  });

  it('shows context values as plain data: dates as ISO strings, bigints as digits, functions and class instances as nothing', () => {
    const ctx = {
      at: new Date('2026-02-25T09:00:00Z'),
      bad: new Date(Number.NaN),
      big: 12345678901234567890n,
      fn: () => 'x',
      map: new Map([['a', 1]]),
      sym: Symbol('s'),
    };
    expect(r('{{ at }}|{{ bad }}|{{ big }}|{{ fn }}|{{ map }}|{{ sym }}|{{ [at, fn] | tojson }}', ctx)).toBe(
      '2026-02-25T09:00:00.000Z||12345678901234567890||||["2026-02-25T09:00:00.000Z",null]',
    );
  });

  it('has arithmetic, concatenation and precedence as in Jinja', () => {
    expect(r('{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 / 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 10 - 2 - 3 }} {{ -n }}', ctx)).toBe('7 9 3.5 1 2 5 -7');
    expect(r('{{ name ~ "/" ~ n ~ "/" ~ missing ~ "/" ~ true }}', ctx)).toBe('Ada/7//true');
  });

  it('compares, combines and tests', () => {
    expect(r("{{ n == 7 }} {{ n != 7 }} {{ n < 10 }} {{ n >= 8 }} {{ 'a' < 'b' }} {{ [1, [2]] == [1, [2]] }} {{ missing == none }}", ctx)).toBe(
      'true false true false true true true',
    );
    expect(r("{{ 'd' in name }} {{ 'x' not in name }} {{ 2 in [1, 2] }} {{ 'id' in run }} {{ 'constructor' in run }} {{ 'a' in missing }}", ctx)).toBe(
      'true true true true false false',
    );
    // and/or give the deciding operand, like Jinja
    expect(r("{{ empty or 'fallback' }} {{ name and n }} {{ not empty }} {{ not n > 3 or false }}", ctx)).toBe('fallback 7 true false');
    expect(r('{{ missing is defined }} {{ name is defined }} {{ nothing is none }} {{ n is number }} {{ n is not string }}', { ...ctx, nothing: null })).toBe(
      'false true true true true',
    );
    expect(r("{{ 'yes' if n > 3 else 'no' }} [{{ 'only' if false }}]", ctx)).toBe('yes []');
  });
});

describe('blocks', () => {
  it('branches with if / elif / else on Jinja truthiness', () => {
    const t = '{% if status == "success" %}ok{% elif status == "failed" %}bad{% else %}?{% endif %}';
    expect([r(t, { status: 'success' }), r(t, { status: 'failed' }), r(t, {})]).toEqual(['ok', 'bad', '?']);
    const truth = (v: unknown) => r('{% if v %}T{% else %}F{% endif %}', { v });
    expect([0, '', [], {}, null, undefined, Number.NaN, false].map(truth).join('')).toBe('FFFFFFFF');
    expect([1, ' ', [0], { a: 0 }, true, -1].map(truth).join('')).toBe('TTTTTT');
  });

  it('loops with loop.index, first, last, length, else and nesting', () => {
    const t =
      '{% for s in steps %}{{ loop.index }}/{{ loop.length }}:{{ s }}{% if loop.first %}(first){% endif %}{% if not loop.last %}, {% endif %}{% else %}none{% endfor %}';
    expect(r(t, { steps: ['a', 'b', 'c'] })).toBe('1/3:a(first), 2/3:b, 3/3:c');
    expect(r(t, { steps: [] })).toBe('none');
    expect(r(t, {})).toBe('none');
    const nested = '{% for row in rows %}{% for cell in row %}{{ loop.index0 }}{{ cell }}{% endfor %}@{{ loop.index }};{% endfor %}';
    expect(r(nested, { rows: [['a', 'b'], ['c']] })).toBe('0a1b@1;0c@2;');
    expect(r('{% for k in obj %}{{ k }}={{ obj[k] }};{% endfor %}{% for ch in "hé😀" %}[{{ ch }}]{% endfor %}', { obj: { x: 1, y: 2 } })).toBe(
      'x=1;y=2;[h][é][😀]',
    );
    // the loop variable shadows the context only inside the loop
    expect(r('{{ x }}{% for x in [1, 2] %}{{ x }}{% endfor %}{{ x }}', { x: 'o' })).toBe('o12o');
  });

  it('drops comments and keeps raw blocks as text', () => {
    expect(r('a{# a comment with {{ tags }} and {% if %} #}b')).toBe('ab');
    expect(r('{% raw %}{{ not rendered }} {% if %}{% endraw %}!')).toBe('{{ not rendered }} {% if %}!');
  });

  it('strips whitespace next to {%- -%}, {{- -}} and {#- -#}', () => {
    expect(r('a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c')).toBe('abc');
    expect(r('[ \n {{- x -}} \n ]', { x: 'v' })).toBe('[v]');
    expect(r('a \n {#- note -#} \n b')).toBe('ab');
    expect(r('a {{ x }} b', { x: 'v' })).toBe('a v b');
    expect(r('x \n{%- raw -%}\n r \n{%- endraw -%}\n y')).toBe('xry');
  });

  it('lists the context variables a template reads', () => {
    const t = compileTemplate('{{ a }}{% for x in items %}{{ x }}{{ loop.index }}{{ b.c }}{% endfor %}{{ a | default(d) }}{{ x }}');
    expect(t.variables).toEqual(['a', 'items', 'b', 'd', 'x']);
  });
});

describe('errors carry line, column and a useful message', () => {
  it('points at the unknown filter and suggests the right one', () => {
    const e = compileFailure('line one\n  {{ status | uper }}');
    expect(e.toJSON()).toEqual({ line: 2, column: 15, message: 'unknown filter "uper"; did you mean "upper"?' });
  });

  it('names the unclosed block and where it was opened', () => {
    const e = compileFailure('a\nb\n    {% if x %}\n{% for y in z %}{% endfor %}');
    expect([e.line, e.column, e.message]).toEqual([3, 5, 'unclosed {% if %} opened at 3:5: expected {% endif %}']);
    expect(compileFailure('{% for y in z %}\n{% endif %}').message).toBe('unexpected {% endif %} inside {% for %} opened at 1:1');
    expect(compileFailure('text {% endfor %}').message).toBe('unexpected {% endfor %} here: no matching block is open');
    expect(compileFailure('{% for x in y %}{% endfo %}').message).toBe('unknown tag "endfo"; did you mean "endfor"?');
  });

  it('refuses unclosed tags, strings and comments where they start', () => {
    expect(compileFailure('ok\n {{ x ').toJSON()).toEqual({ line: 2, column: 2, message: 'unclosed {{ opened at 2:2: expected "}}"' });
    expect(compileFailure('{{ "abc }}').toJSON()).toEqual({ line: 1, column: 4, message: 'unterminated string literal' });
    expect(compileFailure('a {# b').toJSON()).toEqual({ line: 1, column: 3, message: 'unclosed comment: "{#" has no matching "#}"' });
    expect(compileFailure('{% raw %} x').message).toBe('unclosed {% raw %} opened at 1:1: expected {% endraw %}');
  });

  it('explains refused syntax', () => {
    expect(compileFailure('{{ x }}\n{{ lipsum(1) }}').toJSON()).toEqual({
      line: 2,
      column: 10,
      message: 'function calls are not supported in templates; use a filter instead, e.g. {{ value | upper }}',
    });
    expect(compileFailure('{% set x = 1 %}').message).toBe('{% set %} is not supported in Hookline templates');
    expect(compileFailure('{% include "x" %}').message).toBe('{% include %} is not supported in Hookline templates');
    expect(compileFailure('{{ 1 < x < 3 }}').message).toBe('chained comparisons are not supported; combine them with "and"');
    expect(compileFailure('{{ x[1:2] }}').message).toBe('slices are not supported');
    expect(compileFailure('{{ {"a": 1} }}').message).toBe('object literals are not supported');
    expect(compileFailure('{% for a, b in x %}{% endfor %}').message).toMatch(/unpacking/);
    expect(compileFailure('{% for a in x if a %}{% endfor %}').message).toMatch(/loop filtering/);
    expect(compileFailure('{{ x is callable }}').message).toBe('unknown test "callable"; supported: defined, undefined, none, number, string');
    expect(compileFailure('{{ }}').toJSON()).toEqual({ line: 1, column: 4, message: 'expected a value but found "}}"' });
    expect(compileFailure('{{ a b }}').message).toBe('expected "}}" but found "b"');
    expect(compileFailure('{{ a ; }}').toJSON()).toEqual({ line: 1, column: 6, message: 'unexpected character ";"' });
    expect(compileFailure('{{ x | truncate(1, 2, 3, 4, 5) }}').message).toBe('filter "truncate" takes at most 4 arguments');
    expect(compileFailure('{{ x | upper(1) }}').message).toBe('filter "upper" takes no arguments');
    expect(compileFailure('{{ x | truncate(lenght=3) }}').message).toBe('filter "truncate" has no argument "lenght"; did you mean "length"?');
    expect(compileFailure('{{ x | truncate(end="!", 3) }}').message).toBe('a positional argument cannot follow a keyword argument');
    expect(compileFailure('{{ x | replace("a") }}').message).toBe('filter "replace" needs argument "new"');
  });

  it('positions render-time errors at the expression that failed', () => {
    const e = failure(() => r('a\n\n   {{ n / 0 }}', { n: 1 }));
    expect(e.toJSON()).toEqual({ line: 3, column: 9, message: 'division by zero' });
    expect(failure(() => r('{{ "a" + 1 }}')).message).toBe('operator "+" needs two numbers, got string and number; use ~ to join strings');
    expect(failure(() => r('{{ n < "x" }}', { n: 1 })).message).toBe('cannot compare number with string using "<"');
    expect(failure(() => r('{% for x in 5 %}{% endfor %}')).message).toBe('cannot loop over a number');
  });
});
