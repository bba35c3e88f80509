// The fixed latency histogram of the dashboard analytics. The hourly rollup stores one count per
// bucket, the live path counts the same buckets, so percentiles read the same whichever source
// answered. Bounds are roughly log-scale: fine where gateways answer (50 ms to 2 s), coarse beyond.
// Changing them changes the meaning of stored rollup rows: add a migration that rebuilds them.

/** Upper bounds (exclusive) in milliseconds; bucket i holds [bound(i-1), bound(i)), the last one everything from 30 s up. */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = Object.freeze([10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000]);

/** Buckets in a histogram: one per bound plus the open-ended last one. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** Lower bounds of every bucket (0, 10, 25, ...): what SQL's width_bucket(x, thresholds) takes. */
export function latencyBucketLowerBounds(): number[] {
  return [0, ...LATENCY_BUCKET_BOUNDS_MS];
}

/** Index (0-based) of the bucket that holds `ms`; negative values count as 0. */
export function latencyBucketOf(ms: number): number {
  const value = Math.max(0, ms);
  for (let i = 0; i < LATENCY_BUCKET_BOUNDS_MS.length; i++) if (value < LATENCY_BUCKET_BOUNDS_MS[i]!) return i;
  return LATENCY_BUCKET_BOUNDS_MS.length;
}

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
}

/** Adds `from` into `into`, bucket by bucket. */
export function addHistogram(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0 < q <= 1) of a histogram, interpolated linearly inside the bucket that holds
 * it (as Prometheus' histogram_quantile does); whole milliseconds. The open-ended last bucket
 * answers its lower bound. Null when the histogram is empty.
 */
export function percentileFromHistogram(histogram: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  let total = 0;
  for (const count of histogram) total += count;
  if (total <= 0) return null;
  const rank = q * total;
  let before = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && before + count >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
      if (i >= LATENCY_BUCKET_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BUCKET_BOUNDS_MS[i]!;
      return Math.round(lower + ((upper - lower) * (rank - before)) / count);
    }
    before += count;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
}
