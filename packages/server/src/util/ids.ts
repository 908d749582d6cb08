import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from './clock.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-shaped identifiers (48-bit time + 80 bits of randomness, Crockford base32) with a
 * type prefix: `evt_01JQ8X5K2M3N4P5R6S7T8V9W`. Sorting by id sorts by creation time.
 */
export function newId(prefix: string, clock: Clock = systemClock, bytes: (n: number) => Buffer = randomBytes): string {
  let t = clock.now();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = bytes(10);
  let bits = 0;
  let acc = 0;
  let rand = '';
  for (const b of rnd) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return `${prefix}_${time}${rand}`;
}
