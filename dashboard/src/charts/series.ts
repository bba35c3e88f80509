// Helpers that turn the API's long-format points ({ t, gateway, value }) into the aligned columns a
// time-series chart draws: one x column (unix seconds) and one y column per gateway.

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color?: string;
}

interface AlignedSeries {
  /** Unix seconds, ascending. */
  x: number[];
  series: ChartSeries[];
}

/**
 * A fixed palette; gateways are coloured by their position in the sorted list, the same in every
 * chart. The colours are the stylesheet's --chart-1 … --chart-10 (one set per colour scheme);
 * TimeSeriesChart resolves them for the canvas (charts/theme.ts).
 */
const PALETTE = Array.from({ length: 10 }, (_, i) => `var(--chart-${i + 1})`);

export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

interface Point {
  t: string;
  /** null: attempts for which no gateway was found (labelled `No gateway`). */
  gateway: string | null;
}

const NO_GATEWAY = 'No gateway';

/**
 * Pivots points into aligned series, one per gateway (sorted by name). `value` gives the y value of
 * a point (null for a gap); a gateway without a point at some t gets `missing` there.
 */
interface PivotOptions {
  /** Value of a gateway without a point at some t (0 for counts, null for a gap). */
  missing?: number | null;
  /**
   * Slot width in seconds: slots without any point (no traffic) are added, anchored on the first
   * point, so lines drop to `missing` instead of jumping across the gap.
   */
  step?: number;
  /** Range (unix seconds) the slots are filled over, with `step`. */
  from?: number;
  to?: number;
  /** Gateways to show even without points, in this order (otherwise: sorted names). */
  gateways?: readonly string[];
}

export function pivot<P extends Point>(points: readonly P[], value: (p: P) => number | null, options: PivotOptions = {}): AlignedSeries {
  const missing = options.missing ?? null;
  const gatewayOrder = options.gateways;
  const times = new Set<number>();
  const gateways = new Set<string>(gatewayOrder ?? []);
  for (const p of points) {
    const ms = Date.parse(p.t);
    if (Number.isNaN(ms)) continue;
    times.add(Math.floor(ms / 1000));
    gateways.add(p.gateway ?? NO_GATEWAY);
  }
  if (options.step && options.step > 0 && times.size > 0) {
    const step = options.step;
    const known = [...times];
    const anchor = Math.min(...known);
    const lo = Math.min(anchor, options.from ?? anchor);
    const hi = Math.max(...known, options.to ?? -Infinity);
    // At most 2000 slots: a wrong step must not blow up the chart.
    const first = anchor - Math.floor((anchor - lo) / step) * step;
    for (let t = first, n = 0; t <= hi && n < 2000; t += step, n++) if (t < (options.to ?? Infinity)) times.add(t);
  }
  const x = [...times].sort((a, b) => a - b);
  const index = new Map(x.map((t, i) => [t, i]));
  const names = gatewayOrder ? [...gateways] : [...gateways].sort();
  const columns = new Map(names.map((g) => [g, new Array<number | null>(x.length).fill(missing)]));
  for (const p of points) {
    const ms = Date.parse(p.t);
    if (Number.isNaN(ms)) continue;
    const i = index.get(Math.floor(ms / 1000))!;
    const column = columns.get(p.gateway ?? NO_GATEWAY)!;
    const v = value(p);
    const prev = column[i];
    // Two points of one gateway in one slot (should not happen) are added up.
    column[i] = v === null ? (prev ?? null) : (prev ?? 0) + v;
  }
  return { x, series: names.map((g, i) => ({ label: g, values: columns.get(g)!, color: colorAt(i) })) };
}
