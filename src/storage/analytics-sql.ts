// What the analytics queries share: the charged statuses, the latency histogram's columns and
// bucket numbers, UTC time bins, and the row value readers.
import { latencyBucketLowerBounds, LATENCY_BUCKET_COUNT } from '../core/analytics/latency-buckets.ts';
import { CHARGED_TXN_STATUSES, type AnalyticsBucket } from '../core/analytics/types.ts';

export const CHARGED = `(${CHARGED_TXN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
/** The rollup tables hold one column per latency bucket, lat_1 .. lat_21 (migration 008). */
export const ROLLUP_LATENCY_COLUMNS = 21;
if (LATENCY_BUCKET_COUNT !== ROLLUP_LATENCY_COLUMNS) throw new Error('latency buckets changed: migrate the rollup tables (lat_N columns) to match');
export const HIST_INDEXES = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => i + 1);
export const LAT_COLUMNS = HIST_INDEXES.map((i) => `lat_${i}`).join(', ');
/** SQL bucket number (1-based, so lat_N's N) of a latency, per latency-buckets.ts; NULL when the attempt has none. */
export const LATENCY_BUCKET_SQL = (column: string) => `width_bucket(greatest(${column}, 0), ARRAY[${latencyBucketLowerBounds().join(', ')}])`;
/** UTC bucket starts without time zone lookups (date_bin counts from the epoch; the session TimeZone never matters). */
export const EPOCH = `timestamptz '1970-01-01 00:00:00+00'`;
export const BIN: Record<AnalyticsBucket, string> = { minute: `'1 minute'`, hour: `'1 hour'`, day: `'1 day'` };
export const binned = (bucket: AnalyticsBucket, column: string) => `date_bin(${BIN[bucket]}, ${column}, ${EPOCH})`;

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
