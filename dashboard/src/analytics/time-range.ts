// Time ranges of the analytics and payments pages: presets relative to now, or a custom from/to
// (values of <input type="datetime-local">, in the browser's time zone).

export type RangePreset = '1h' | '24h' | '7d' | '30d' | 'custom';

export const RANGE_PRESETS: ReadonlyArray<{ value: RangePreset; label: string; ms: number }> = [
  { value: '1h', label: 'Last 1 hour', ms: 3600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 3600_000 },
];

export interface TimeRange {
  preset: RangePreset;
  /** datetime-local values, used when preset is custom. */
  customFrom: string;
  customTo: string;
}

type ResolvedRange = { ok: true; from: string; to: string } | { ok: false; field: 'from' | 'to'; reason: string };

/**
 * The instant a preset is resolved at: now, or the instant a prefetch of the same preset used when
 * it was made within the last second (once), so that the page asks for exactly what was prefetched.
 */
let primed: { preset: RangePreset; now: number } | null = null;

export function primeRangeNow(preset: RangePreset, now: number): void {
  primed = { preset, now };
}

export function rangeNow(preset: RangePreset, now: number = Date.now()): number {
  const p = primed;
  primed = null;
  return p && p.preset === preset && now - p.now >= 0 && now - p.now < 1_000 ? p.now : now;
}

/** The ISO from/to of a range at `now`. */
export function resolveRange(range: TimeRange, now: number = Date.now()): ResolvedRange {
  if (range.preset !== 'custom') {
    const preset = RANGE_PRESETS.find((p) => p.value === range.preset)!;
    return { ok: true, from: new Date(now - preset.ms).toISOString(), to: new Date(now).toISOString() };
  }
  const from = Date.parse(range.customFrom);
  const to = Date.parse(range.customTo);
  if (!range.customFrom || Number.isNaN(from)) return { ok: false, field: 'from', reason: 'Enter a start date and time' };
  if (!range.customTo || Number.isNaN(to)) return { ok: false, field: 'to', reason: 'Enter an end date and time' };
  if (from >= to) return { ok: false, field: 'to', reason: 'must be after the start' };
  return { ok: true, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** A Date as a datetime-local value (local time, minutes). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
