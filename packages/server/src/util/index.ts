// The surface of util/: what the rest of the server may import from it.
export { type Clock, ManualClock, type RandomSource, systemClock, systemRandom, timerAt } from './clock.js';
export { closest, didYouMean } from './did-you-mean.js';
export { parseDuration } from './duration.js';
export { GroupCommit } from './group-commit.js';
export { newId } from './ids.js';
export { RateLimiter } from './rate-limiter.js';
export { storableText } from './text.js';
export { iso } from './time.js';
