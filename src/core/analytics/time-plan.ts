// Time arithmetic of the analytics (UTC throughout): bucket choice, bucket starts, and which
// source answers which slice of a range. Closed hours (and whole days of them) come from the
// rollup; the open hour, partial hours at the edges and anything after the rollup's boundary
// are read live, so a figure never waits for the worker.
import type { AnalyticsBucket, SourcePart, TimeRange } from './types.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const BUCKET_MS: Record<AnalyticsBucket, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** Longest range each bucket may cover (keeps a series to a few thousand points). */
export const MAX_RANGE_MS: Record<AnalyticsBucket, number> = { minute: DAY_MS, hour: 93 * DAY_MS, day: 400 * DAY_MS };

export function bucketMs(bucket: AnalyticsBucket): number {
  return BUCKET_MS[bucket];
}

/** UTC buckets are whole multiples of their length since the epoch (no leap seconds in JS time). */
export function floorTo(date: Date, ms: number): Date {
  return new Date(Math.floor(date.getTime() / ms) * ms);
}

export function ceilTo(date: Date, ms: number): Date {
  return new Date(Math.ceil(date.getTime() / ms) * ms);
}

/** The bucket a range gets when the caller names none: about 24 to 120 points. */
export function chooseBucket(range: TimeRange): AnalyticsBucket {
  const span = range.to.getTime() - range.from.getTime();
  if (span <= 2 * HOUR_MS) return 'minute';
  if (span <= 3 * DAY_MS) return 'hour';
  return 'day';
}

/** Start of every bucket that overlaps [from, to), oldest first. */
export function bucketStarts(range: TimeRange, bucket: AnalyticsBucket): Date[] {
  const ms = bucketMs(bucket);
  const out: Date[] = [];
  for (let t = floorTo(range.from, ms).getTime(); t < range.to.getTime(); t += ms) out.push(new Date(t));
  return out;
}

/**
 * Splits [from, to) into parts answered by one source each. `rolledUntil` is the rollup's
 * boundary (an hour start): hours before it are in analytics_hourly, and every UTC day that ends
 * by it is in analytics_daily. Day rows are used only for day buckets (an hour bucket needs the
 * hours); minute buckets are read live (the rollup has no minutes).
 */
export function planSources(range: TimeRange, rolledUntil: Date | null, bucket: AnalyticsBucket): SourcePart[] {
  const { from, to } = range;
  if (to <= from) return [];
  const live = (a: Date, b: Date): SourcePart => ({ source: 'live', from: a, to: b });
  if (bucket === 'minute' || rolledUntil === null) return [live(from, to)];
  const rolledStart = ceilTo(from, HOUR_MS);
  const rolledEnd = new Date(Math.min(floorTo(to, HOUR_MS).getTime(), floorTo(rolledUntil, HOUR_MS).getTime()));
  if (rolledEnd <= rolledStart) return [live(from, to)];
  const parts: SourcePart[] = [];
  if (from < rolledStart) parts.push(live(from, rolledStart));
  const dayStart = ceilTo(rolledStart, DAY_MS);
  const dayEnd = floorTo(rolledEnd, DAY_MS);
  if (bucket === 'day' && dayEnd > dayStart) {
    if (rolledStart < dayStart) parts.push({ source: 'hourly', from: rolledStart, to: dayStart });
    parts.push({ source: 'daily', from: dayStart, to: dayEnd });
    if (dayEnd < rolledEnd) parts.push({ source: 'hourly', from: dayEnd, to: rolledEnd });
  } else {
    parts.push({ source: 'hourly', from: rolledStart, to: rolledEnd });
  }
  if (rolledEnd < to) parts.push(live(rolledEnd, to));
  return parts;
}
