import { afterAll, describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate, TemplateError } from './index.js';

/** Renders, or returns the TemplateError; anything else thrown fails the test. */
const attempt = (text: string, context: object, mode: 'text' | 'json' = 'text'): string | TemplateError => {
  try {
    return renderTemplate(text, context, { mode });
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
};
const errorOf = (text: string, context: object = {}, limits = {}): TemplateError => {
  try {
    compileTemplate(text, { mode: 'text', limits }).render(context);
  } catch (err) {
    if (err instanceof TemplateError) return err;
    throw err;
  }
  throw new Error(`expected a TemplateError from ${text.slice(0, 60)}`);
};

class Account {
  secret = 'instance-field';
  get token() {
    return 'getter-secret';
  }
}

let getterCalls = 0;
const hostileContext = () => ({
  x: { a: 1 },
  s: 'str',
  list: [1, 2],
  fn: () => 'called',
  account: new Account(),
  parsed: JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "ok": 1}'),
  withGetter: Object.defineProperty({}, 'secret', { enumerable: true, get: () => (getterCalls++, 'getter-secret') }),
  map: new Map([['k', 'map-secret']]),
  inherited: Object.create({ secret: 'inherited-secret' }),
  process,
  globalThis,
  require: typeof require === 'function' ? require : () => 'require',
});

// The well-known Jinja2 / nunjucks / JS escape payloads, plus variations on each.
const PAYLOADS = [
  '{{ range.constructor("return process")() }}',
  "{{ ''.constructor.constructor('return process')() }}",
  '{{ x.__proto__ }}',
  '{{ x.constructor }}',
  "{{ x['__proto__']['polluted'] }}",
  '{{ cycler.__init__.__globals__ }}',
  '{{ self }}',
  '{{ loop.__class__ }}',
  '{% for k in x.constructor %}{{ k }}{% endfor %}',
  '{{ [].constructor }}',
  '{{ x.toString }}',
  "{{ x.constructor.constructor('return process')() }}",
  "{{ ''.__class__.__mro__[1].__subclasses__() }}",
  '{{ config.items() }}',
  '{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen("id").read() }}',
  "{{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}",
  '{{ lipsum.__globals__["os"] }}',
  '{{ joiner.__init__.__globals__ }}',
  '{{ namespace.__init__.__globals__ }}',
  '{% for l in [1] %}{{ loop.__class__ }}{{ loop.constructor }}{{ loop.cycle }}{% endfor %}',
  '{{ x.__proto__.polluted }}{{ x["constructor"]["prototype"] }}',
  '{{ x.hasOwnProperty }}{{ x.valueOf }}{{ x.__defineGetter__ }}{{ x.__lookupGetter__ }}',
  '{{ s.length }}{{ s.constructor }}{{ s.__proto__ }}{{ s.toUpperCase }}',
  '{{ list.constructor }}{{ list.map }}{{ list.__proto__ }}{{ list.push }}',
  '{{ fn }}{{ fn.call }}{{ fn.constructor }}{{ fn | string }}{{ fn | tojson }}',
  '{{ fn() }}',
  '{{ process }}{{ process.env }}{{ process.mainModule }}{{ globalThis.process }}{{ require }}',
  '{{ account.secret }}{{ account.token }}{{ account | tojson }}{{ account }}',
  '{{ withGetter.secret }}{{ withGetter | tojson }}{{ withGetter }}',
  '{{ map.k }}{{ map | tojson }}{{ inherited.secret }}{{ inherited | tojson }}',
  '{{ parsed.__proto__ }}{{ parsed.constructor }}{{ parsed["__proto__"]["polluted"] }}',
  '{% for k in parsed %}{{ k }}{% endfor %}',
  '{{ x | constructor }}',
  '{{ x | __proto__ }}',
  '{{ x | toString }}',
  '{{ x | hasOwnProperty }}',
  '{{ x | truncate(__proto__=1) }}',
  '{{ x is constructor }}',
  '{% constructor %}',
  '{% __proto__ %}',
  '{{ x.constructor.name }}{{ (x).constructor }}{{ [x][0].constructor }}',
  '{{ x[["__proto__"]] }}{{ x[none] }}{{ x[true] }}{{ x[1.5] }}',
  '{{ "constructor" in x }}{{ "__proto__" in x }}{{ "toString" in x }}',
  "{% for c in 'constructor' %}{{ x[c] }}{% endfor %}",
  "{{ x['con' ~ 'structor'] }}{{ x['__pro' ~ 'to__']['polluted'] }}",
  '{{ x.constructor | tojson }}{{ x.__proto__ | length }}',
  '{% raw %}{{ x.constructor.constructor("return process")() }}{% endraw %}',
];

// What a successful render may print: nothing that came from a prototype, a function, a
// getter, a class instance or the process.
const LEAKS = /process|function|=>|\[object|native code|getter-secret|instance-field|map-secret|inherited-secret|called|polluted|PATH|node/i;

describe('server-side template injection payloads', () => {
  it.each(PAYLOADS)('%s is refused or renders harmlessly', (payload) => {
    const result = attempt(payload, hostileContext());
    if (result instanceof TemplateError) {
      expect(result.line).toBeGreaterThanOrEqual(1);
    } else if (payload.startsWith('{% raw %}')) {
      expect(result).toBe('{{ x.constructor.constructor("return process")() }}'); // printed, never evaluated
    } else {
      expect(result).not.toMatch(LEAKS);
    }
  });

  it('refuses every call expression at compile time', () => {
    for (const payload of [PAYLOADS[0]!, PAYLOADS[1]!, PAYLOADS[12]!, PAYLOADS[13]!, '{{ fn() }}', '{{ x | upper() () }}', '{{ (fn)() }}', '{{ x.y(1)(2) }}']) {
      expect(() => compileTemplate(payload)).toThrow(TemplateError);
    }
    expect(() => compileTemplate(PAYLOADS[0]!)).toThrow('function calls are not supported');
  });

  it('resolves prototype names and non-own keys to nothing', () => {
    const ctx = hostileContext();
    expect(attempt('[{{ x.__proto__ }}|{{ x.constructor }}|{{ [].constructor }}|{{ x.toString }}|{{ self }}|{{ loop.__class__ }}]', ctx)).toBe('[|||||]');
    expect(attempt('{% for k in x.constructor %}{{ k }}{% else %}empty{% endfor %}', ctx)).toBe('empty');
    expect(attempt('[{{ parsed | tojson }}|{{ parsed | length }}]', ctx)).toBe('[{"ok":1}|1]');
    expect(attempt('[{{ account.secret }}{{ withGetter.secret }}{{ inherited.secret }}{{ map.k }}{{ fn }}]', ctx)).toBe('[]');
    expect(getterCalls).toBe(0);
  });

  it('renders payloads harmlessly in JSON mode too', () => {
    for (const payload of PAYLOADS.filter((p) => !p.startsWith('{% raw %}'))) {
      const result = attempt(`{"v": "${payload}"}`, hostileContext(), 'json');
      if (typeof result === 'string') expect(result).not.toMatch(LEAKS);
    }
  });

  afterAll(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });
});

describe('limits', () => {
  const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;

  it('stops nested loops at the step limit', () => {
    const e = errorOf(`{% for a in ${hundred} %}{% for b in ${hundred} %}{% for c in ${hundred} %}x{% endfor %}{% endfor %}{% endfor %}`);
    expect(e.message).toBe('template rendering stopped after 100000 steps (too many loop iterations or too much work)');
  });

  it('stops a loop over a huge context list at the step limit', () => {
    const big = { big: new Array(1_000_000).fill(0) };
    expect(errorOf('{% for x in big %}{% endfor %}', big).message).toMatch(/stopped after 100000 steps/);
    expect(errorOf('{{ big | join }}', big).message).toMatch(/stopped after 100000 steps/);
    expect(compileTemplate('{{ big | length }}').render(big)).toBe('1000000');
  });

  it('stops output at the size limit', () => {
    const e = errorOf(`{% for a in ${hundred} %}{{ chunk }}{% endfor %}`, { chunk: 'x'.repeat(10_000) });
    expect(e.message).toBe('template output would exceed 262144 bytes');
    // multi-byte characters count as bytes
    expect(errorOf('{{ s }}', { s: '😀'.repeat(70_000) }).message).toBe('template output would exceed 262144 bytes');
    expect(compileTemplate('{{ s }}').render({ s: '😀'.repeat(60_000) })).toHaveLength(120_000);
  });

  it('refuses string growth before it happens', () => {
    expect(errorOf("{{ 'a' * 1000000000 }}").message).toBe('operator "*" needs two numbers, got string and number');
    const doubling = `{{ 'aaaaaaaa' ${"| replace('a', 'aaaaaaaaaa') ".repeat(8)}| length }}`;
    expect(errorOf(doubling).message).toBe('template output would exceed 262144 bytes');
    expect(errorOf(`{{ s ${'~ s '.repeat(40)} | length }}`, { s: 'x'.repeat(10_000) }).message).toBe('template output would exceed 262144 bytes');
    expect(errorOf('{{ big | join(",") }}', { big: new Array(90_000).fill('xxx') }).message).toBe('template output would exceed 262144 bytes');
  });

  it('charges string work to the step budget', () => {
    const loop = `{% for a in ${hundred} %}{% for b in ${hundred} %}{{ big | upper | length }}{% endfor %}{% endfor %}`;
    expect(errorOf(loop, { big: 'x'.repeat(200_000) }).message).toMatch(/stopped after 100000 steps/);
  });

  it('refuses deep nesting at compile time', () => {
    expect(errorOf(`{{ ${'('.repeat(10_000)}1${')'.repeat(10_000)} }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`{{ ${'not '.repeat(10_000)}x }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`{{ ${'['.repeat(5_000)}${']'.repeat(5_000)} }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`{{ ${'-'.repeat(10_000)}x }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`{{ x${' ~ x'.repeat(5_000)} }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`{{ x${' | upper'.repeat(5_000)} }}`).message).toBe('expression is nested more than 64 levels deep');
    expect(errorOf(`${'{% if x %}'.repeat(100)}${'{% endif %}'.repeat(100)}`).toJSON()).toEqual({
      line: 1,
      column: 641,
      message: 'blocks are nested more than 64 levels deep',
    });
    expect(compileTemplate(`${'{% if true %}'.repeat(60)}deep${'{% endif %}'.repeat(60)}`).render()).toBe('deep');
  });

  it('refuses values nested too deeply or referring to themselves', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const twin: Record<string, unknown> = { a: 1 };
    twin.self = twin;
    expect(errorOf('{{ c | tojson }}', { c: cyclic }).message).toBe('value is nested more than 64 levels deep (or refers to itself)');
    expect(errorOf('{{ c }}', { c: cyclic }).message).toMatch(/nested more than 64 levels/);
    expect(errorOf('{{ c == twin }}', { c: cyclic, twin }).message).toMatch(/nested more than 64 levels/);
  });

  it('refuses a template over the size limit', () => {
    expect(errorOf('x'.repeat(64 * 1024 + 1)).toJSON()).toEqual({ line: 1, column: 1, message: 'template is 65537 bytes; the limit is 65536' });
    expect(compileTemplate('x'.repeat(64 * 1024)).render()).toHaveLength(64 * 1024);
  });

  it('takes each limit as an option', () => {
    expect(errorOf('{% for x in [1,2,3,4,5,6,7,8,9,10] %}{{ x }}{% endfor %}', {}, { maxSteps: 20 }).message).toBe(
      'template rendering stopped after 20 steps (too many loop iterations or too much work)',
    );
    expect(errorOf('{{ s }}', { s: 'x'.repeat(11) }, { maxOutputBytes: 10 }).message).toBe('template output would exceed 10 bytes');
    expect(errorOf('{{ ((x)) }}', {}, { maxDepth: 2 }).message).toBe('expression is nested more than 2 levels deep');
    expect(errorOf('0123456789!', {}, { maxTemplateBytes: 10 }).message).toBe('template is 11 bytes; the limit is 10');
    expect(() => compileTemplate('x', { limits: { maxSteps: 0 } })).toThrow(RangeError);
  });
});
