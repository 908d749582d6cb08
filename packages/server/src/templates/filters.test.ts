import { describe, expect, it } from 'vitest';
import { FILTERS, renderTemplate, TemplateError } from './index.js';

const r = (text: string, context: object = {}) => renderTemplate(text, context, { mode: 'text' });
const renderError = (text: string, context: object = {}) => {
  try {
    r(text, context);
  } catch (err) {
    if (err instanceof TemplateError) return err.message;
    throw err;
  }
  throw new Error('expected a TemplateError');
};

const fox = 'The quick brown fox jumps over the lazy dog';

describe('filters', () => {
  it('default / d: only for missing or none values, or falsy ones with boolean=true', () => {
    expect(
      r(
        "{{ missing | default('n/a') }} {{ nothing | d('-') }} {{ empty | default('x') }}|{{ empty | default('x', true) }} {{ zero | d(5) }} {{ missing | default }}|",
        { nothing: null, empty: '', zero: 0 },
      ),
    ).toBe('n/a - |x 0 |');
    expect(r('{{ missing | default(other) }}', { other: 'from-ctx' })).toBe('from-ctx');
  });

  it('truncate: Jinja semantics (length, killwords, end, leeway 5)', () => {
    expect(r('{{ s | truncate(20) }}', { s: fox })).toBe('The quick brown...');
    expect(r('{{ s | truncate(20, true) }}', { s: fox })).toBe('The quick brown f...');
    expect(r("{{ s | truncate(20, end='…') }}", { s: fox })).toBe('The quick brown…');
    expect(r('{{ s | truncate(40) }}', { s: fox })).toBe(fox); // 43 chars is within 40 + leeway 5
    expect(r('{{ s | truncate(40, leeway=0) }}', { s: fox })).toBe('The quick brown fox jumps over the...');
    expect(r('{{ s | truncate(3, killwords=true, leeway=0) }}', { s: '😀😀😀😀😀' })).toBe('...');
    expect(r('{{ s | truncate(4, true, leeway=0) }}', { s: '😀😀😀😀😀' })).toBe('😀...'); // counts code points, never splits an emoji
    expect(r('{{ s | truncate }}', { s: 'x'.repeat(300) })).toBe(`${'x'.repeat(252)}...`);
    expect(renderError('{{ s | truncate(2) }}', { s: fox })).toBe('truncate length 2 is shorter than its end marker "..."');
    expect(renderError("{{ s | truncate('ten') }}", { s: fox })).toBe('truncate length must be a whole number from 0 to 9007199254740991, got string');
  });

  it('upper, lower, title, capitalize, trim', () => {
    expect(r("{{ 'MiXed' | upper }} {{ 'MiXed' | lower }} {{ s | title }} {{ 'hELLO wORLD' | capitalize }}", { s: "hello wORLD-wide (web) o'neil" })).toBe(
      "MIXED mixed Hello World-Wide (Web) O'neil Hello world",
    );
    expect(r("[{{ '  pad \n' | trim }}] [{{ '--x--' | trim('-') }}] [{{ missing | upper }}]")).toBe('[pad] [x] []');
  });

  it('length, join, first, last', () => {
    expect(r("{{ 'héllo😀' | length }} {{ [1, 2, 3] | length }} {{ obj | length }} {{ missing | length }}", { obj: { a: 1, b: 2 } })).toBe('6 3 2 0');
    expect(r("{{ [1, 'a', none, true] | join(', ') }} {{ 'abc' | join('-') }} {{ [1, 2] | join }} {{ obj | join('+') }}", { obj: { a: 1, b: 2 } })).toBe(
      '1, a, , true a-b-c 12 a+b',
    );
    expect(r("{{ [3, 4] | first }} {{ [3, 4] | last }} {{ '😀ab' | first }} {{ 'ab😀' | last }} [{{ [] | first }}]")).toBe('3 4 😀 😀 []');
    expect(renderError('{{ 5 | length }}')).toBe('filter "length" needs a list, a string or an object, got number');
  });

  it('replace, with an optional count and an empty pattern as in Python', () => {
    expect(
      r("{{ 'a-b-c' | replace('-', ' / ') }} {{ 'a-b-c' | replace('-', '', 1) }} {{ 'ab' | replace('', '.') }} {{ 'aaa' | replace('a', 'b', count=2) }}"),
    ).toBe('a / b / c ab-c .a.b. bba');
  });

  it('tojson: JSON that is safe to embed, optionally indented', () => {
    expect(r('{{ v | tojson }}', { v: { s: 'a"b</script>&\'', n: 1.5, l: [true, null], u: undefined } })).toBe(
      '{"s":"a\\"b\\u003c/script\\u003e\\u0026\\u0027","n":1.5,"l":[true,null]}',
    );
    expect(r('{{ v | tojson(2) }}', { v: { a: [1, 2], b: {} } })).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}');
    expect(r('{{ missing | tojson }} {{ "x" | tojson }} {{ 3 | tojson }}')).toBe('null "x" 3');
    expect(JSON.parse(r('{{ v | tojson }}', { v: 'line\u2028sep\ud800' }))).toBe('line\u2028sep\ud800');
  });

  it('escape / e: HTML entities', () => {
    expect(r('{{ s | escape }}|{{ s | e }}', { s: `<a href="x">Tom & 'Jerry'</a>` })).toBe(
      '&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;|&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
    );
  });

  it('urlencode: strings keep "/", objects become a query string', () => {
    expect(r("{{ 'a b/c?d=é&!' | urlencode }}")).toBe('a%20b/c%3Fd%3D%C3%A9%26%21');
    expect(r('{{ q | urlencode }}', { q: { 'a b': 'x/y', n: 1 } })).toBe('a+b=x%2Fy&n=1');
    expect(r('{{ s | urlencode }}', { s: 'lone\ud800' })).toBe('lone%EF%BF%BD');
  });

  it('round, int, float, string', () => {
    expect(
      r("{{ 2.5 | round }} {{ -2.5 | round }} {{ 3.14159 | round(2) }} {{ 3.11 | round(1, 'ceil') }} {{ 3.19 | round(1, 'floor') }} {{ '2.6' | round }}"),
    ).toBe('3 -3 3.14 3.2 3.1 3');
    expect(
      r(
        "{{ '42' | int }} {{ '4.7' | int }} {{ -4.7 | int }} {{ 'x' | int }} {{ 'x' | int(7) }} {{ 'ff' | int(base=16) }} {{ '0b101' | int(0, 2) }} {{ true | int }}",
      ),
    ).toBe('42 4 -4 0 7 255 5 1');
    expect(r("{{ '1.5' | float }} {{ 'nope' | float }} {{ 'nope' | float(2.5) }} {{ 3 | float }}")).toBe('1.5 0 2.5 3');
    expect(r('{{ 12 | string ~ 3 }} {{ [1] | string | length }} {{ missing | string }}|')).toBe('123 3 |');
    expect(renderError("{{ 'abc' | round }}")).toBe('filter "round" needs a number, got string');
  });

  it('chain left to right and take expressions as arguments', () => {
    expect(r("{{ name | default('anon') | upper | replace('A', '4') | truncate(4, true, '', 0) }}", {})).toBe('4NON');
    expect(r('{{ out | truncate(n + 2, end=marker ~ "!") }}', { out: fox, n: 8, marker: '…' })).toBe('The…!');
  });

  it('are exactly the documented set', () => {
    expect([...FILTERS.keys()].sort()).toEqual(
      [
        'capitalize',
        'd',
        'default',
        'e',
        'escape',
        'first',
        'float',
        'int',
        'join',
        'last',
        'length',
        'lower',
        'replace',
        'round',
        'string',
        'title',
        'tojson',
        'trim',
        'truncate',
        'upper',
        'urlencode',
      ].sort(),
    );
  });
});
