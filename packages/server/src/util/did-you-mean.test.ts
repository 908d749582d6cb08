import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './did-you-mean.js';

describe('closest', () => {
  it('finds a likely typo, case-insensitively', () => {
    expect(closest('evnts', ['url', 'events'])).toBe('events');
    expect(closest('Max_Atempts', ['max_attempts', 'timeout'])).toBe('max_attempts');
    expect(didYouMean('taget', ['channel', 'target'])).toBe('; did you mean "target"?');
  });

  it('suggests nothing when no candidate is close, however the lengths differ', () => {
    // 4 letters longer and nothing alike: the length difference alone is not a distance.
    expect(closest('secret_token', ['type', 'token', 'username', 'password', 'name', 'value'])).toBeUndefined();
    expect(closest('x', ['events'])).toBeUndefined();
    expect(didYouMean('zz_extra', ['url', 'events'])).toBe('');
  });

  it('answers at once for a huge name', () => {
    expect(closest('e'.repeat(1_000_000), ['events'])).toBeUndefined();
  });
});
