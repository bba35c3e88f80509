import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COUNT, addHistogram, emptyHistogram, latencyBucketOf, percentileFromHistogram } from './latency-buckets.ts';

function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[latencyBucketOf(v)]!++;
  return h;
}

test('bounds rise strictly; every latency lands in exactly one bucket', () => {
  for (let i = 1; i < LATENCY_BUCKET_BOUNDS_MS.length; i++) assert.ok(LATENCY_BUCKET_BOUNDS_MS[i]! > LATENCY_BUCKET_BOUNDS_MS[i - 1]!);
  assert.equal(latencyBucketOf(-5), 0);
  assert.equal(latencyBucketOf(0), 0);
  assert.equal(latencyBucketOf(9), 0);
  assert.equal(latencyBucketOf(10), 1, 'upper bounds are exclusive');
  assert.equal(latencyBucketOf(120), 5);
  assert.equal(latencyBucketOf(29_999), LATENCY_BUCKET_COUNT - 2);
  assert.equal(latencyBucketOf(30_000), LATENCY_BUCKET_COUNT - 1);
  assert.equal(latencyBucketOf(10_000_000), LATENCY_BUCKET_COUNT - 1);
});

test('percentiles interpolate inside the bucket that holds them', () => {
  assert.equal(percentileFromHistogram(emptyHistogram(), 0.5), null);
  const h = histogramOf([110, 120, 130, 140]); // all in [100, 150)
  assert.equal(percentileFromHistogram(h, 0.5), 125);
  assert.equal(percentileFromHistogram(h, 1), 150);
  const mixed = histogramOf([...Array(90).fill(60), ...Array(10).fill(1200)]);
  assert.ok(percentileFromHistogram(mixed, 0.5)! >= 50 && percentileFromHistogram(mixed, 0.5)! < 75);
  assert.ok(percentileFromHistogram(mixed, 0.99)! >= 1000 && percentileFromHistogram(mixed, 0.99)! <= 1500);
  assert.equal(percentileFromHistogram(histogramOf([45_000]), 0.99), 30_000, 'the open bucket answers its lower bound');
  assert.throws(() => percentileFromHistogram(h, 0));
});

test('percentiles are monotonic in q and histograms add up', () => {
  const h = histogramOf([3, 17, 42, 88, 150, 151, 420, 999, 2500, 8000]);
  let last = 0;
  for (const q of [0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    const p = percentileFromHistogram(h, q)!;
    assert.ok(p >= last, `p${q * 100} = ${p} < ${last}`);
    last = p;
  }
  const sum = addHistogram(emptyHistogram(), h);
  addHistogram(sum, h);
  assert.deepEqual(
    sum,
    h.map((n) => n * 2),
  );
});
