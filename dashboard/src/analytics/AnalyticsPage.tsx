// Analytics: totals, success rate and volume over time per gateway, latency percentiles, failures
// by unified error, per-logic performance and first-attempt vs fallback success for a time range
// and filters (GET /v1/dashboard/analytics); live gateway health and the live traffic view.
import { useEffect, useMemo, useState } from 'react';
import { useSession } from '../auth/session.tsx';
import { PercentileBars } from '../charts/PercentileBars.tsx';
import { pivot } from '../charts/series.ts';
import { ShareBar } from '../charts/ShareBar.tsx';
import { TimeSeriesChart } from '../charts/TimeSeriesChart.tsx';
import { formatCount, formatDateTime, formatMinor, formatRate, formatShare } from './format.ts';
import { GatewayHealthPanel } from './GatewayHealthPanel.tsx';
import { useApiQuery, useAppQueryClient } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { LiveView } from './LiveView.tsx';
import { useQueryParams } from '../router.tsx';
import { ExportCsvButton } from '../components/ExportCsvButton.tsx';
import type { CsvColumn } from '../format/csv.ts';
import { RANGE_PRESETS, rangeNow, resolveRange, toLocalInput, type RangePreset, type TimeRange } from './time-range.ts';
import { loadReport, NO_FILTERS, PREFETCHED_FRESH_MS, prefetchReport, type AnalyticsFilters } from './analytics-request.ts';
import { gatewayLabel, type AnalyticsAnswer } from './types.ts';
import './analytics.css';
import { ErrorState } from '../components/ErrorState.tsx';

const BUCKET_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };
const TOTAL_COLOR = 'var(--chart-total)';

export function AnalyticsPage() {
  const role = useSession().user?.role;
  // The range and filters live in the URL (?range=7d&gateway=SIM_ALPHA…), so a view can be shared and survives a reload.
  const [params, setParams] = useQueryParams();
  const presetParam = params.get('range');
  const range: TimeRange = {
    preset: presetParam && (presetParam === 'custom' || RANGE_PRESETS.some((p) => p.value === presetParam)) ? (presetParam as RangePreset) : '24h',
    customFrom: params.get('from') ?? '',
    customTo: params.get('to') ?? '',
  };
  const filters: AnalyticsFilters = {
    payment_method_type: params.get('payment_method_type') ?? '',
    card_brand: params.get('card_brand') ?? '',
    gateway: params.get('gateway') ?? '',
    logic_id: params.get('logic_id') ?? '',
  };
  const setRange = (update: (r: TimeRange) => TimeRange) => {
    const next = update(range);
    setParams({ range: next.preset === '24h' ? null : next.preset, from: next.preset === 'custom' ? next.customFrom : null, to: next.preset === 'custom' ? next.customTo : null });
  };
  const setFilters = (next: AnalyticsFilters) => setParams({ ...next });
  const [refreshes, setRefreshes] = useState(0);

  // Presets are relative to now: resolved again on each change and on Refresh.
  // (The first resolution takes the instant of the navigation's prefetch, when there was one.)
  const resolved = useMemo(() => resolveRange(range, rangeNow(range.preset)), [range.preset, range.customFrom, range.customTo, refreshes]); // eslint-disable-line react-hooks/exhaustive-deps
  const query = resolved.ok ? { from: resolved.from, to: resolved.to, ...filters } : null;
  const { data, error, loading, reload } = useApiQuery(queryKeys.analytics.report(query), (signal) => loadReport(query, signal), { enabled: query !== null, staleTime: PREFETCHED_FRESH_MS });

  // The live panels below the report (gateway health, live traffic) mount once the report has been
  // answered (or after 300 ms): their requests and charts do not compete with the figures at the
  // top of the page, which the person came for.
  const panelsShown = useOnceSettled(data !== null || error !== null, 300);

  const setFilter = (name: keyof AnalyticsFilters, value: string) => setParams({ [name]: value });
  const client = useAppQueryClient();
  const setPreset = (preset: RangePreset) => {
    if (preset !== 'custom') prefetchReport(client, preset, filters); // the request leaves before the page re-renders
    setRange((r) => {
      if (preset !== 'custom' || (r.customFrom && r.customTo)) return { ...r, preset };
      const now = Date.now();
      return { preset, customFrom: toLocalInput(now - 24 * 3600_000), customTo: toLocalInput(now) };
    });
  };

  return (
    <section className="page analytics-page">
      <header className="page-header">
        <h1>Analytics</h1>
        {data ? (
          <p className="muted" data-testid="analytics-range">
            {formatDateTime(data.from)} – {formatDateTime(data.to)} · by {data.bucket}
            {data.rolled_up_until ? ` · rolled up until ${formatDateTime(data.rolled_up_until)}, live after` : ''}
          </p>
        ) : null}
      </header>

      <form className="toolbar analytics-filters" aria-label="Analytics filters" onSubmit={(e) => { e.preventDefault(); setRefreshes((n) => n + 1); }}>
        <div className="field">
          <label htmlFor="an-range">Time range</label>
          <select id="an-range" value={range.preset} onChange={(e) => setPreset(e.target.value as RangePreset)}>
            {RANGE_PRESETS.map((p) => (
              <option key={p.value} value={p.value}>{p.label}</option>
            ))}
            <option value="custom">Custom range</option>
          </select>
        </div>
        {range.preset === 'custom' ? (
          <>
            <div className="field">
              <label htmlFor="an-from">From</label>
              <input id="an-from" type="datetime-local" value={range.customFrom} onChange={(e) => setRange((r) => ({ ...r, customFrom: e.target.value }))}
                aria-invalid={!resolved.ok && resolved.field === 'from' ? true : undefined} aria-describedby={!resolved.ok && resolved.field === 'from' ? 'an-from-error' : undefined} />
              {!resolved.ok && resolved.field === 'from' ? <p id="an-from-error" className="field-error">{resolved.reason}</p> : null}
            </div>
            <div className="field">
              <label htmlFor="an-to">To</label>
              <input id="an-to" type="datetime-local" value={range.customTo} onChange={(e) => setRange((r) => ({ ...r, customTo: e.target.value }))}
                aria-invalid={!resolved.ok && resolved.field === 'to' ? true : undefined} aria-describedby={!resolved.ok && resolved.field === 'to' ? 'an-to-error' : undefined} />
              {!resolved.ok && resolved.field === 'to' ? <p id="an-to-error" className="field-error">{resolved.reason}</p> : null}
            </div>
          </>
        ) : null}
        <FilterSelect id="an-pmt" label="Payment method type" value={filters.payment_method_type} options={data?.filters.payment_method_types ?? []} onChange={(v) => setFilter('payment_method_type', v)} />
        <FilterSelect id="an-brand" label="Card brand" value={filters.card_brand} options={data?.filters.card_brands ?? []} onChange={(v) => setFilter('card_brand', v)} />
        <FilterSelect id="an-gateway" label="Gateway" value={filters.gateway} options={data?.filters.gateways ?? []} onChange={(v) => setFilter('gateway', v)} />
        <FilterSelect
          id="an-logic"
          label="Logic"
          value={filters.logic_id}
          options={(data?.filters.logics ?? []).map((l) => ({ value: l.id, label: l.name }))}
          onChange={(v) => setFilter('logic_id', v)}
        />
        <button type="submit" className="btn">Refresh</button>
        {Object.values(filters).some(Boolean) ? (
          <button type="button" className="btn" onClick={() => setFilters(NO_FILTERS)}>Clear filters</button>
        ) : null}
      </form>

      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {loading && !data ? <p className="muted" role="status">Loading analytics…</p> : null}
      {data ? <AnalyticsBody data={data} /> : null}

      {panelsShown ? (
        <>
          <GatewayHealthPanel />
          <LiveView role={role} />
        </>
      ) : null}
    </section>
  );
}

function FilterSelect({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: ReadonlyArray<string | { value: string; label: string }>; onChange: (v: string) => void }) {
  const list = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  // The chosen value stays selectable even when the filtered answer no longer lists it.
  if (value && !list.some((o) => o.value === value)) list.push({ value, label: value });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {list.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

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

function AnalyticsBody({ data }: { data: AnalyticsAnswer }) {
  const step = BUCKET_SECONDS[data.bucket];
  const fromSec = Math.floor(Date.parse(data.from) / 1000);
  const toSec = Math.floor(Date.parse(data.to) / 1000);
  const grid = { step, from: Number.isNaN(fromSec) ? undefined : fromSec, to: Number.isNaN(toSec) ? undefined : toSec };

  const successChart = useMemo(
    () => pivot(data.series, (p) => (p.attempts > 0 ? (100 * p.charged) / p.attempts : null), { missing: null, ...grid }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data],
  );
  const volumeChart = useMemo(() => {
    const aligned = pivot(data.series, (p) => p.attempts, { missing: 0, ...grid });
    if (aligned.series.length > 1) {
      const total = aligned.x.map((_, i) => aligned.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
      aligned.series.push({ label: 'All gateways', values: total, color: TOTAL_COLOR });
    }
    return aligned;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const t = data.totals;
  const percent = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}%`;

  return (
    <>
      <section className="card" aria-labelledby="totals-heading">
        <h2 id="totals-heading">Totals</h2>
        <dl className="totals">
          <div><dt>Attempts</dt><dd data-testid="total-attempts">{formatCount(t.attempts)}</dd></div>
          <div><dt>Charged</dt><dd data-testid="total-charged">{formatCount(t.charged)}</dd></div>
          <div><dt>Success rate</dt><dd data-testid="total-success-rate">{formatRate(t.success_rate)}</dd></div>
          <div><dt>Orders</dt><dd data-testid="total-orders">{formatCount(t.orders)}</dd></div>
          <div><dt>Amount charged</dt><dd data-testid="total-amount">{amountCharged(t)}</dd></div>
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
}

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
          <thead>
            <tr><th scope="col">Gateway</th><th scope="col" className="num">Attempts</th><th scope="col" className="num">Charged</th><th scope="col" className="num">Success rate</th></tr>
          </thead>
          <tbody>
            {[...data.by_gateway].sort((a, b) => gatewayLabel(a.gateway).localeCompare(gatewayLabel(b.gateway))).map((g) => (
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
              <dd data-testid="first-attempt-charged">{formatCount(fa.charged_first_attempt)} <span className="muted">({formatShare(fa.charged_first_attempt, fa.orders)} of orders)</span></dd>
            </div>
            <div>
              <dt>Charged after fallback</dt>
              <dd data-testid="fallback-charged">{formatCount(fa.charged_after_fallback)} <span className="muted">({formatShare(fa.charged_after_fallback, fa.orders)} of orders)</span></dd>
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
          <thead>
            <tr><th scope="col">Logic</th><th scope="col" className="num">Attempts</th><th scope="col" className="num">Charged</th><th scope="col" className="num">Success rate</th></tr>
          </thead>
          <tbody>
            {data.by_logic.map((l) => (
              <tr key={l.logic_id ?? 'none'} data-testid="logic-row">
                <th scope="row">
                  {l.logic_id === null || l.logic_id === 'DEFAULT_ORDER' ? 'Default gateway order (no logic)' : l.logic_name ?? l.logic_id}
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
            <thead>
              <tr><th scope="col">Error code</th><th scope="col">Category</th><th scope="col" className="num">Count</th><th scope="col">Share</th></tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={`${f.error_code}|${f.category}`} data-testid="failure-row">
                  <th scope="row"><code>{f.error_code}</code></th>
                  <td>{f.category ?? '–'}</td>
                  <td className="num">{formatCount(f.count)}</td>
                  <td>{formatShare(f.count, failureTotal)}<ShareBar share={failureTotal ? f.count / failureTotal : 0} label={`${f.error_code} ${formatShare(f.count, failureTotal)}`} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" aria-label="Failures by category">
            <thead>
              <tr><th scope="col">Category</th><th scope="col" className="num">Count</th><th scope="col">Share</th></tr>
            </thead>
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

/** True once `settled` has been true, or `ms` after mounting, whichever comes first; then true for good. */
function useOnceSettled(settled: boolean, ms: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown) return;
    if (settled) {
      setShown(true);
      return;
    }
    const timer = setTimeout(() => setShown(true), ms);
    return () => clearTimeout(timer);
  }, [shown, settled, ms]);
  return shown;
}
