/** Levenshtein distance between two short strings (keys, names). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/**
 * The candidate `key` is most likely a typo of (case-insensitive), for
 * "did you mean" hints; undefined when none is within `maxDistance(candidate)`.
 */
export function closestMatch(
  key: string,
  candidates: readonly string[],
  maxDistance: (candidate: string) => number = () => 2,
): string | undefined {
  const lower = key.toLowerCase();
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d <= maxDistance(candidate) && (!best || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
}
