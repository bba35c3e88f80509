// A stable, dependency-free hash for sticky draws (volume splits, staggered rollout): the same
// merchant + order + salt always lands in the same bucket, on every machine and every release.

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 for avalanche. */
export function stableHash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const BUCKETS = 10_000;

/** Bucket 0..9999 for an order: weights and percentages resolve to 0.01%. */
export function orderBucket(merchantId: string, orderId: string, salt: string): number {
  return stableHash32(`${merchantId}\u0000${orderId}\u0000${salt}`) % BUCKETS;
}
