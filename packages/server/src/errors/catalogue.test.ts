import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorEntry, type ErrorName, UserError, wireCode } from './index.js';
import { renderErrorTable, withErrorTable } from './reference.js';

const entries = Object.entries(ERRORS) as [ErrorName, ErrorEntry][];

describe('the error catalogue', () => {
  it('gives every entry a snake_case code, an error status and a meaning', () => {
    for (const [name, entry] of entries) {
      expect(wireCode(name), name).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(entry.status >= 400 && entry.status < 600, name).toBe(true);
      expect(entry.meaning.length, name).toBeGreaterThan(10);
    }
  });

  it('shares a code between entries only when their statuses differ (one doc row each)', () => {
    const rows = entries.map(([name, entry]) => `${entry.status} ${wireCode(name)}`);
    expect(new Set(rows).size).toBe(rows.length);
    const shared = entries.filter(([, entry]) => entry.wire).map(([name, entry]) => [name, wireCode(name), entry.status]);
    expect(shared).toEqual([
      ['schedule_agent_deleted', 'unknown_agent', 409],
      ['slack_api_blocked', 'ssrf_blocked', 502],
    ]);
    // The entries they share a code with are catalogued under that code.
    expect([ERRORS.unknown_agent.status, ERRORS.ssrf_blocked.status]).toEqual([422, 422]);
  });

  it('puts the wire code (not the entry name) and the catalogue status on a UserError', () => {
    const err = new UserError('slack_api_blocked', 'notifications.slack.api_base_url is not allowed', { field: 'x' });
    expect([err.entry, err.code, err.status, err.message, err.details, err.name]).toEqual([
      'slack_api_blocked',
      'ssrf_blocked',
      502,
      'notifications.slack.api_base_url is not allowed',
      { field: 'x' },
      'UserError',
    ]);
    expect([new UserError('invalid_cron', 'm').code, new UserError('invalid_cron', 'm').status]).toEqual(['invalid_cron', 422]);
  });

  it('docs/api.md has the table generated from the catalogue (run `npm run docs:errors`)', () => {
    const doc = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
    expect(doc).toBe(withErrorTable(doc));
    expect(doc).toContain(renderErrorTable());
    expect(doc).toContain('| 502 | `ssrf_blocked` |');
    expect(doc).toContain('| 409 | `unknown_agent` |');
    expect(
      renderErrorTable()
        .split('\n')
        .filter((line) => line.startsWith('| 4') || line.startsWith('| 5')),
    ).toHaveLength(entries.length);
  });

  it('refuses a doc whose table markers are gone', () => {
    expect(() => withErrorTable('# API\n\nno table here\n')).toThrow(/lost the markers/);
  });
});
