// Latency percentiles per gateway as a table with inline bars (no chart library: plain HTML, so
// it is readable by screen readers and cheap to render).
import './charts.css';
import { TableHead } from '../components/TableHead';

interface PercentileRow {
  label: string;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

function ms(v: number | null): string {
  return v === null ? '–' : `${Math.round(v).toLocaleString('en-US')} ms`;
}

export function PercentileBars({ rows, caption }: { rows: readonly PercentileRow[]; caption: string }) {
  if (rows.length === 0) return <p className="empty">No latency data in this range.</p>;
  const max = Math.max(1, ...rows.map((r) => r.p99 ?? r.p90 ?? r.p50 ?? 0));
  const width = (v: number | null) => `${v === null ? 0 : Math.max(1, (v / max) * 100)}%`;
  return (
    <table className="table percentile-table">
      <caption className="visually-hidden">{caption}</caption>
      <TableHead columns={['Gateway', 'p50', 'p90', 'p99']} numeric={['p50', 'p90', 'p99']} after={<td aria-hidden="true" className="percentile-bars-col" />} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} data-testid="latency-row">
            <th scope="row">{r.label}</th>
            <td className="num">{ms(r.p50)}</td>
            <td className="num">{ms(r.p90)}</td>
            <td className="num">{ms(r.p99)}</td>
            <td aria-hidden="true" className="percentile-bars">
              <span className="bar bar-p99" style={{ width: width(r.p99) }} />
              <span className="bar bar-p90" style={{ width: width(r.p90) }} />
              <span className="bar bar-p50" style={{ width: width(r.p50) }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
