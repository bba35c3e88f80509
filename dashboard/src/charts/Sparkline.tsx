// A tiny trend line in SVG, for tables (no chart library needed at this size).
export function Sparkline({ values, width = 96, height = 24, label }: { values: readonly number[]; width?: number; height?: number; label?: string }) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={label ?? 'no trend yet'} />;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={label ?? 'trend'} className="sparkline">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
