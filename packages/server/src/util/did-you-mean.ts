/** "Did you mean …?" for a misspelt name (template tags and filters, AGENT.md fields). */

/** The candidate closest to a misspelt name, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase(), limit);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean "x"?`, or nothing when no candidate is close. */
export const didYouMean = (name: string, candidates: Iterable<string>): string => {
  const guess = closest(name, candidates);
  return guess ? `; did you mean "${guess}"?` : '';
};

/** The edit distance of `a` and `b`, or more than `limit` without computing it when their lengths alone differ by more (a long name costs nothing). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
