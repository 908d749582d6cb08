import { afterAll, describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError, type TemplateLimits } from './index.js';

/** mulberry32: a small seeded PRNG, so every run tries the same 2,000 templates. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { int, pick };
}

const FRAGMENTS = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '{{-',
  '-}}',
  '{%-',
  '-%}',
  ' ',
  '\n',
  'x',
  'list',
  'obj',
  'output',
  'loop',
  'loop.index',
  '.',
  '[',
  ']',
  '(',
  ')',
  ',',
  '|',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '>=',
  ' and ',
  ' or ',
  'not ',
  ' in ',
  ' is ',
  ' if ',
  ' else ',
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'endfor',
  'raw',
  'endraw',
  'set',
  'true',
  'none',
  '0',
  '1',
  '-1',
  '1e400',
  '2.5',
  "'s'",
  '"q"',
  "'",
  '"',
  '\\',
  'constructor',
  '__proto__',
  'upper',
  'truncate',
  'truncate(3)',
  'default("d")',
  'tojson',
  'tojson(2)',
  'join(",")',
  'replace("a", "bb")',
  'length',
  'first',
  'last',
  'round(2)',
  'int',
  'float',
  'string',
  'e',
  'urlencode',
  'title',
  'trim',
  '[1, 2, 3]',
  '[list, list]',
  '😀',
  '\ud800',
  '\u2028',
  '{',
  '[',
  '"text": "',
];

const WELL_FORMED = [
  '{% for i in list %}{% for j in list %}{{ i ~ j | upper }}{% endfor %}{% endfor %}',
  '{"a": "{{ output | truncate(20) }}", "b": {{ obj | tojson }}}',
  '{% if x and not y %}{{ x | default("?") }}{% elif list | length > 2 %}{{ list | join("-") }}{% else %}{{ obj.k[0] }}{% endif %}',
  '{% for k in obj %}{{ loop.index }}={{ obj[k] | tojson }}{% if not loop.last %}&{% endif %}{% endfor %}',
  '{{ output | replace("a", "aaaa") | replace("a", "aaaa") | replace("a", "aaaa") | length }}',
  '{% for i in list %}{% for j in list %}{% for k in list %}{{ output }}{% endfor %}{% endfor %}{% endfor %}',
  '{{ list[0] + 1 }} {{ obj.k | round }} {{ 1 / list | length - 4 }} {{ output | truncate(1) }}',
  String.raw`{"text": "{{trigger_type}} '{{trigger_name}}' finished: {{status}}\nError: {{error}}"}`,
];

const LIMITS: Partial<TemplateLimits> = { maxSteps: 5_000, maxOutputBytes: 8_192, maxDepth: 16 };
const CONTEXT = {
  x: 'He said "hi"\n\\ </script> \u2028 😀 \ud800',
  y: '',
  list: ['a', 'b', 'c', 'd'],
  obj: { k: [1, 'two', null], nested: { deep: [true] } },
  output: 'a'.repeat(500),
  fn: () => 'called',
  trigger_type: 'schedule',
  status: 'failed',
};

function mutate(rng: ReturnType<typeof prng>, text: string): string {
  let out = text;
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const at = rng.int(out.length + 1);
    const op = rng.int(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + rng.int(3));
    else if (op === 1) out = out.slice(0, at) + rng.pick(FRAGMENTS) + out.slice(at);
    else out = out.slice(0, at) + out.slice(at).split('').reverse().join('').slice(0, 5) + out.slice(at + 5);
  }
  return out;
}

describe('fuzzing', () => {
  it('2,000 random and mutated templates only ever throw TemplateError and stay within the limits', () => {
    const rng = prng(0x40c4);
    const outcomes = { rendered: 0, compileErrors: 0, renderErrors: 0 };
    for (let i = 0; i < 2_000; i++) {
      const text = i % 2 ? mutate(rng, rng.pick(WELL_FORMED)) : Array.from({ length: 1 + rng.int(30) }, () => rng.pick(FRAGMENTS)).join('');
      let compiled;
      try {
        compiled = compileTemplate(text, { limits: LIMITS });
      } catch (err) {
        if (!(err instanceof TemplateError)) throw new Error(`compile threw ${String(err)} for ${JSON.stringify(text)}`);
        expect(err.line).toBeGreaterThanOrEqual(1);
        expect(err.column).toBeGreaterThanOrEqual(1);
        outcomes.compileErrors++;
        continue;
      }
      try {
        const out = compiled.render(CONTEXT);
        expect(Buffer.byteLength(out)).toBeLessThanOrEqual(LIMITS.maxOutputBytes!);
        expect(out).not.toContain('called');
        outcomes.rendered++;
      } catch (err) {
        if (!(err instanceof TemplateError)) throw new Error(`render threw ${String(err)} for ${JSON.stringify(text)}`);
        outcomes.renderErrors++;
      }
    }
    // The corpus exercises all three outcomes, or it would prove little.
    expect(outcomes.rendered).toBeGreaterThan(200);
    expect(outcomes.compileErrors).toBeGreaterThan(200);
    expect(outcomes.renderErrors).toBeGreaterThan(10);
  });

  it('JSON templates stay parseable for 500 random hostile values', () => {
    const rng = prng(7);
    const template = compileTemplate('{"a": "{{ v }}", "b": ["{{ v | upper }}", "{{ v ~ v }}"], "c": {{ v | tojson }}}');
    for (let i = 0; i < 500; i++) {
      const v = String.fromCharCode(...Array.from({ length: rng.int(40) }, () => (rng.int(4) === 0 ? rng.int(0x10000) : rng.int(0x80))));
      const parsed = JSON.parse(template.render({ v }));
      expect(parsed.a).toBe(v);
      expect(parsed.b[1]).toBe(v + v);
      expect(parsed.c).toBe(v);
    }
  });

  afterAll(() => expect(({} as Record<string, unknown>).polluted).toBeUndefined());
});
