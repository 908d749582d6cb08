import { describe, expect, it } from 'vitest';
import { checkPattern, checkPublishableType, patternMatches, patternsMatching } from './catalog.js';

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

  it('does not let API callers publish into reserved namespaces', () => {
    expect(checkPublishableType('run.completed')).toMatch(/reserves/);
    expect(checkPublishableType('webhook.test')).toMatch(/reserves/);
    expect(checkPublishableType('invoice.paid')).toBeNull();
  });
});
