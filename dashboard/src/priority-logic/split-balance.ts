// Volume split sliders that always add up to 100: moving one gives the rest of the 100 to the
// others in proportion to their current weights (evenly when they are all 0), in whole percent by
// largest remainder, so the moved slider keeps exactly the value it was moved to.

/** Whole percentages in proportion to `shares`, summing to `total` (largest remainder; ties to the earlier). */
function apportion(shares: readonly number[], total: number): number[] {
  if (shares.length === 0) return [];
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = sum > 0 ? shares.map((s) => (s * total) / sum) : shares.map(() => total / shares.length);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]! += 1;
  return out;
}

/**
 * The weights after slider `index` moves to `value` (0..100, whole): it keeps `value`, the others
 * share 100 - value in proportion to what they had. A single slider is always 100.
 */
export function rebalance(weights: readonly number[], index: number, value: number): number[] {
  if (weights.length <= 1) return weights.map(() => 100);
  const v = Math.min(100, Math.max(0, Math.round(value)));
  const others = weights.map((w, i) => (i === index ? null : Math.max(0, w)));
  const shares = apportion(
    others.filter((w): w is number => w !== null),
    100 - v,
  );
  let k = 0;
  return others.map((w) => (w === null ? v : shares[k++]!));
}

/** The weights with a new item at the end taking an even share (100 / n), the others scaled down to make room. */
export function withNewShare(weights: readonly number[]): number[] {
  const n = weights.length + 1;
  if (n === 1) return [100];
  // Before the first move the split may not add up to 100: treat what is there as proportions.
  return rebalance([...weights, 0], n - 1, Math.round(100 / n));
}
