// Means with 95% confidence intervals over seeds (Student t).
const T95: [number, number][] = [
  [1, 12.71],
  [2, 4.3],
  [3, 3.18],
  [4, 2.78],
  [5, 2.57],
  [6, 2.45],
  [7, 2.36],
  [8, 2.31],
  [9, 2.26],
  [10, 2.23],
  [12, 2.18],
  [15, 2.13],
  [20, 2.09],
  [25, 2.06],
  [29, 2.045],
  [40, 2.02],
  [60, 2.0],
  [120, 1.98],
];

function tQuantile(df: number): number {
  let value = 1.96;
  for (let i = T95.length - 1; i >= 0; i--) if (df <= T95[i][0]) value = T95[i][1];
  return df > 120 ? 1.96 : value;
}

export interface MeanCi {
  mean: number;
  half: number;
  n: number;
}

export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: NaN, half: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, half: NaN, n };
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1);
  return { mean, half: tQuantile(n - 1) * Math.sqrt(variance / n), n };
}

export function fmt(ci: MeanCi, digits = 2): string {
  if (!Number.isFinite(ci.mean)) return 'n/a';
  if (!Number.isFinite(ci.half)) return ci.mean.toFixed(digits);
  return `${ci.mean.toFixed(digits)} ± ${ci.half.toFixed(digits)}`;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Ratio of means mean(num) / mean(den) with a 95% interval by the delta method over paired
 * per-seed values (the interval of mean(num - r den) scaled by 1 / |mean(den)|).
 */
export function ratioCi(num: readonly number[], den: readonly number[]): MeanCi {
  const n = Math.min(num.length, den.length);
  const d = meanCi(den.slice(0, n)).mean;
  const r = meanCi(num.slice(0, n)).mean / d;
  const residual = meanCi(num.slice(0, n).map((v, k) => v - r * den[k]));
  return { mean: r, half: residual.half / Math.abs(d), n };
}
