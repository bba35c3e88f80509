// The analytics report under the filters: totals, volume and success over time, gateways, first
// attempt vs fallback, latency percentiles, failures by unified error and per-logic performance,
// each table exportable as CSV.
import { memo, useMemo } from 'react';
import { PercentileBars } from '../charts/PercentileBars.tsx';
import { pivot } from '../charts/series.ts';
import { ShareBar } from '../charts/ShareBar.tsx';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.tsx';
import { formatCount, formatMinor, formatRate, formatShare } from './format.ts';
import { ExportCsvButton } from '../components/ExportCsvButton.tsx';
import type { CsvColumn } from '../format/csv.ts';
import { gatewayLabel, type AnalyticsAnswer } from './types.ts';
import { TableHead } from '../components/TableHead';

const BUCKET_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };
const TOTAL_COLOR = 'var(--chart-total)';

/** The charged amount: in its currency, or one figure per currency when there are several. */
function amountCharged(t: AnalyticsAnswer['totals']): string {
  const per = t.amounts_charged ?? [];
  if (per.length > 1) return per.map((a) => formatMinor(a.amount_minor, a.currency)).join(' · ');
  const currency = t.currency ?? per[0]?.currency;
  if (currency) return formatMinor(per[0]?.amount_minor ?? t.amount_charged_minor, currency);
  return t.amount_charged_minor === 0 ? '0' : `${formatCount(t.amount_charged_minor)} (minor units)`;
}

const SERIES_COLUMNS: CsvColumn<AnalyticsAnswer['series'][number]>[] = [
  { header: 'bucket_start_utc', value: (p) => p.t },
  { header: 'gateway', value: (p) => gatewayLabel(p.gateway) },
  { header: 'attempts', value: (p) => p.attempts },
  { header: 'charged', value: (p) => p.charged },
  { header: 'success_rate_percent', value: (p) => (p.attempts > 0 ? ((100 * p.charged) / p.attempts).toFixed(2) : '') },
];
const GATEWAY_COLUMNS: CsvColumn<AnalyticsAnswer['by_gateway'][number]>[] = [
  { header: 'gateway', value: (g) => gatewayLabel(g.gateway) },
  { header: 'attempts', value: (g) => g.attempts },
  { header: 'charged', value: (g) => g.charged },
  { header: 'success_rate', value: (g) => g.success_rate },
  { header: 'latency_p50_ms', value: (g) => g.latency_ms?.p50 },
  { header: 'latency_p90_ms', value: (g) => g.latency_ms?.p90 },
  { header: 'latency_p99_ms', value: (g) => g.latency_ms?.p99 },
];

/**
 * Memoised: a change of range or filter re-renders the page's controls at once while the report keeps
 * showing the previous answer (the same object) until the new one arrives; it is not rendered again for nothing.
 */
export const AnalyticsReport = memo(function AnalyticsReport({ data }: { data: AnalyticsAnswer }) {
  const step = BUCKET_SECONDS[data.bucket];
  const fromSec = Math.floor(Date.parse(data.from) / 1000);
  const toSec = Math.floor(Date.parse(data.to) / 1000);
  const grid = { step, from: Number.isNaN(fromSec) ? undefined : fromSec, to: Number.isNaN(toSec) ? undefined : toSec };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the grid is derived from `data`: recomputed once per answer
  const successChart = useMemo(() => pivot(data.series, (p) => (p.attempts > 0 ? (100 * p.charged) / p.attempts : null), { missing: null, ...grid }), [data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the grid is derived from `data`: recomputed once per answer
  const volumeChart = useMemo(() => {
    const aligned = pivot(data.series, (p) => p.attempts, { missing: 0, ...grid });
    if (aligned.series.length > 1) {
      const total = aligned.x.map((_, i) => aligned.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
      aligned.series.push({ label: 'All gateways', values: total, color: TOTAL_COLOR });
    }
    return aligned;
  }, [data]);

  const t = data.totals;
  const percent = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;

  return (
    <>
      <section className="card" aria-labelledby="totals-heading">
        <h2 id="totals-heading">Totals</h2>
        <dl className="totals">
          <div>
            <dt>Attempts</dt>
            <dd data-testid="total-attempts">{formatCount(t.attempts)}</dd>
          </div>
          <div>
            <dt>Charged</dt>
            <dd data-testid="total-charged">{formatCount(t.charged)}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd data-testid="total-success-rate">{formatRate(t.success_rate)}</dd>
          </div>
          <div>
            <dt>Orders</dt>
            <dd data-testid="total-orders">{formatCount(t.orders)}</dd>
          </div>
          <div>
            <dt>Amount charged</dt>
            <dd data-testid="total-amount">{amountCharged(t)}</dd>
          </div>
        </dl>
        {t.attempts === 0 ? <p className="empty">No payment attempts in this range and filters.</p> : null}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="sr-heading">
          <h2 id="sr-heading">Success rate by gateway</h2>
          <ExportCsvButton name="analytics-series" label="Export CSV of the charts' data" columns={SERIES_COLUMNS} rows={data.series} />
          <TimeSeriesChart title="Success rate by gateway over time" x={successChart.x} series={successChart.series} format={percent} yRange={[0, 100]} />
        </section>
        <section className="card" aria-labelledby="volume-heading">
          <h2 id="volume-heading">Volume (attempts)</h2>
          <TimeSeriesChart title="Attempts over time" x={volumeChart.x} series={volumeChart.series} stepped format={(v) => formatCount(v)} />
        </section>
      </div>

      <div className="grid-2">
        <GatewaysSection data={data} />

        <FirstAttemptSection data={data} />
      </div>

      <FailuresSection data={data} />
    </>
  );
});

/** Attempts, charges and success rate per gateway, and their latency percentiles. */
function GatewaysSection({ data }: { data: AnalyticsAnswer }) {
  return (
    <section className="card" aria-labelledby="gw-heading">
      <h2 id="gw-heading">Gateways</h2>
      <ExportCsvButton name="analytics-gateways" label="Export CSV of gateways" columns={GATEWAY_COLUMNS} rows={data.by_gateway} />
      {data.by_gateway.length === 0 ? (
        <p className="empty">No gateway had traffic in this range.</p>
      ) : (
        <table className="table" aria-labelledby="gw-heading">
          <CountsHead first="Gateway" />
          <tbody>
            {[...data.by_gateway]
              .sort((a, b) => gatewayLabel(a.gateway).localeCompare(gatewayLabel(b.gateway)))
              .map((g) => (
                <tr key={gatewayLabel(g.gateway)} data-testid="gateway-stats-row">
                  <th scope="row">{gatewayLabel(g.gateway)}</th>
                  <td className="num">{formatCount(g.attempts)}</td>
                  <td className="num">{formatCount(g.charged)}</td>
                  <td className="num">{formatRate(g.success_rate)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      <h3 id="latency-heading">Latency percentiles</h3>
      <PercentileBars
        caption="Latency percentiles per gateway"
        rows={[...data.by_gateway]
          .filter((g) => g.latency_ms && g.gateway !== null)
          .sort((a, b) => gatewayLabel(a.gateway).localeCompare(gatewayLabel(b.gateway)))
          .map((g) => ({ label: gatewayLabel(g.gateway), p50: g.latency_ms?.p50 ?? null, p90: g.latency_ms?.p90 ?? null, p99: g.latency_ms?.p99 ?? null }))}
      />
    </section>
  );
}

/** Orders charged on the first attempt against those saved by a fallback, and the figures per logic. */
function FirstAttemptSection({ data }: { data: AnalyticsAnswer }) {
  const fa = data.first_attempt;
  const chargedOrders = fa.charged_first_attempt + fa.charged_after_fallback;
  return (
    <section className="card" aria-labelledby="fa-heading">
      <h2 id="fa-heading">First attempt vs fallback</h2>
      {fa.orders === 0 ? (
        <p className="empty">No orders in this range.</p>
      ) : (
        <>
          <dl className="totals">
            <div>
              <dt>Charged on the first attempt</dt>
              <dd data-testid="first-attempt-charged">
                {formatCount(fa.charged_first_attempt)} <span className="muted">({formatShare(fa.charged_first_attempt, fa.orders)} of orders)</span>
              </dd>
            </div>
            <div>
              <dt>Charged after fallback</dt>
              <dd data-testid="fallback-charged">
                {formatCount(fa.charged_after_fallback)} <span className="muted">({formatShare(fa.charged_after_fallback, fa.orders)} of orders)</span>
              </dd>
            </div>
          </dl>
          <p className="muted small" data-testid="fallback-share">
            Of {formatCount(chargedOrders)} charged orders out of {formatCount(fa.orders)}, {formatShare(fa.charged_after_fallback, chargedOrders)} were saved by a fallback attempt.
          </p>
        </>
      )}
      <h3 id="logic-heading">By logic</h3>
      {data.by_logic.length === 0 ? (
        <p className="empty">No logic decided a payment in this range.</p>
      ) : (
        <table className="table" aria-labelledby="logic-heading">
          <CountsHead first="Logic" />
          <tbody>
            {data.by_logic.map((l) => (
              <tr key={l.logic_id ?? 'none'} data-testid="logic-row">
                <th scope="row">
                  {l.logic_id === null || l.logic_id === 'DEFAULT_ORDER' ? 'Default gateway order (no logic)' : (l.logic_name ?? l.logic_id)}
                  {l.logic_id && l.logic_id !== 'DEFAULT_ORDER' && l.logic_name ? <div className="muted small">{l.logic_id}</div> : null}
                </th>
                <td className="num">{formatCount(l.attempts)}</td>
                <td className="num">{formatCount(l.charged)}</td>
                <td className="num">{formatRate(l.success_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Failed attempts by unified error code and by category, with their share. */
function FailuresSection({ data }: { data: AnalyticsAnswer }) {
  const failureTotal = data.failures.reduce((s, f) => s + f.count, 0);
  const failures = [...data.failures].sort((a, b) => b.count - a.count || a.error_code.localeCompare(b.error_code));
  const categories = useMemo(() => {
    const m = new Map<string, number>();
    for (const f of data.failures) m.set(f.category ?? 'UNKNOWN', (m.get(f.category ?? 'UNKNOWN') ?? 0) + f.count);
    return [...m.entries()].sort((a, b) => b[1] - a[1]);
  }, [data.failures]);
  return (
    <section className="card" aria-labelledby="failures-heading">
      <h2 id="failures-heading">Failures by unified error</h2>
      {failures.length === 0 ? (
        <p className="empty">No failed attempts in this range.</p>
      ) : (
        <div className="grid-2">
          <table className="table" aria-label="Failures by error code">
            <ShareHead first={['Error code', 'Category']} />
            <tbody>
              {failures.map((f) => (
                <tr key={`${f.error_code}|${f.category}`} data-testid="failure-row">
                  <th scope="row">
                    <code>{f.error_code}</code>
                  </th>
                  <td>{f.category ?? '–'}</td>
                  <td className="num">{formatCount(f.count)}</td>
                  <td>
                    {formatShare(f.count, failureTotal)}
                    <ShareBar share={failureTotal ? f.count / failureTotal : 0} label={`${f.error_code} ${formatShare(f.count, failureTotal)}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" aria-label="Failures by category">
            <ShareHead first={['Category']} />
            <tbody>
              {categories.map(([category, count]) => (
                <tr key={category} data-testid="failure-category-row">
                  <th scope="row">{category}</th>
                  <td className="num">{formatCount(count)}</td>
                  <td>{formatShare(count, failureTotal)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const COUNTS = ['Attempts', 'Charged', 'Success rate'];
/** The head of a table of attempts, charges and success rate per `first` (a gateway, a logic). */
const CountsHead = ({ first }: { first: string }) => <TableHead columns={[first, ...COUNTS]} numeric={COUNTS} />;
/** The head of a table of counts and their shares per `first` (an error code and its category, a category). */
const ShareHead = ({ first }: { first: readonly string[] }) => <TableHead columns={[...first, 'Count', 'Share']} numeric={['Count']} />;
