// A small horizontal bar for a share (0..1), next to a figure in a table cell.
import './charts.css';

export function ShareBar({ share, label }: { share: number; label?: string }) {
  const pct = Math.max(0, Math.min(1, Number.isFinite(share) ? share : 0)) * 100;
  return (
    <span className="share-bar" role="img" aria-label={label ?? `${pct.toFixed(1)}%`}>
      <span className="share-bar-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}
