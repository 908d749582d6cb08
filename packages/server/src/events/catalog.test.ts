import { describe, expect, it } from 'vitest';
import { checkPattern, checkPublishableType, patternMatches, patternsMatching, unknownTypeWarnings } from './catalog.js';

describe('event catalog', () => {
  it('accepts *, prefix wildcards and exact types', () => {
    for (const p of ['*', 'run.*', 'run.completed', 'invoice.paid', 'a.b.c', 'a.b.*', 'message.received']) expect(checkPattern(p)).toBeNull();
  });

  it('rejects malformed patterns with a reason', () => {
    for (const p of ['', 'Run.completed', 'run.', '.run', 'run..x', 'run.*.x', '**', 'run*', 'a b', 'x'.repeat(200)]) {
      expect(checkPattern(p), p).toMatch(/.+/);
    }
  });

  it('rejects unknown types in reserved namespaces and suggests the right one', () => {
    expect(checkPattern('run.complete')).toMatch(/unknown event type "run.complete"; did you mean "run.completed"/);
    expect(checkPattern('endpoint.gone')).toMatch(/unknown event type/);
  });

  it('matches by exact type, prefix wildcard and *', () => {
    expect(patternsMatching('run.completed').sort()).toEqual(['*', 'run.*', 'run.completed'].sort());
    expect(patternMatches('a.*', 'a.b.c')).toBe(true);
    expect(patternMatches('a.b.*', 'a.b.c')).toBe(true);
    expect(patternMatches('a.b.*', 'a.bc')).toBe(false);
    expect(patternMatches('run.*', 'runner.x')).toBe(false);
    expect(patternMatches('run.completed', 'run.failed')).toBe(false);
  });

  it('warns about subscriptions that select no built-in or published type, by index, with a suggestion', () => {
    const fields = (patterns: string[], published: string[]) =>
      unknownTypeWarnings(patterns, new Set(patterns.filter((p) => published.some((t) => patternMatches(p, t)))), published).map((w) => w.field);
    expect(fields(['*', 'run.*', 'run.completed', 'webhook.test'], [])).toEqual([]);
    expect(fields(['a.b.*', 'a.*', 'a.b.c', 'a.b', 'b.*'], ['a.b.c'])).toEqual(['events[3]', 'events[4]']);
    const [typo] = unknownTypeWarnings(['endpoint.*', 'endpoints.disabled'], new Set(), []);
    expect(typo).toEqual({
      code: 'unknown_event_type',
      field: 'events[1]',
      message: '"endpoints.disabled" is not a known event type (not built in, never published); did you mean "endpoint.disabled"?',
    });
  });

  it('does not let API callers publish into reserved namespaces', () => {
    expect(checkPublishableType('run.completed')).toMatch(/reserves/);
    expect(checkPublishableType('webhook.test')).toMatch(/reserves/);
    expect(checkPublishableType('invoice.paid')).toBeNull();
  });
});
