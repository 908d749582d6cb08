import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from './clock.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// One randomBytes call per 409 ids instead of one per id: the syscall dominated id creation.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function pooledRandom(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  poolOffset += n;
  return pool.subarray(poolOffset - n, poolOffset);
}

/**
 * ULID-shaped identifiers (48-bit time + 80 bits of randomness, Crockford base32) with a
 * type prefix: `evt_01JQ8X5K2M3N4P5R6S7T8V9W`. Sorting by id sorts by creation time.
 */
export function newId(prefix: string, clock: Clock = systemClock, bytes: (n: number) => Buffer = pooledRandom): string {
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
