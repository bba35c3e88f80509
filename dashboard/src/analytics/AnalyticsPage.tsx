// Analytics: totals, success rate and volume over time per gateway, latency percentiles, failures
// by unified error, per-logic performance and first-attempt vs fallback success for a time range
// and filters (GET /v1/dashboard/analytics); live gateway health and the live traffic view.
import { useEffect, useMemo, useState } from 'react';
import { useSession } from '../auth/session.tsx';
import { formatDateTime } from './format.ts';
import { GatewayHealthPanel } from './GatewayHealthPanel.tsx';
import { useApiQuery, useAppQueryClient } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { LiveView } from './LiveView.tsx';
import { useQueryParams } from '../router.tsx';
import { RANGE_PRESETS, rangeNow, resolveRange, toLocalInput, type RangePreset, type TimeRange } from './time-range.ts';
import { loadReport, NO_FILTERS, PREFETCHED_FRESH_MS, prefetchReport, type AnalyticsFilters } from './analytics-request.ts';
import type { AnalyticsAnswer } from './types.ts';
import './analytics.css';
import { ErrorState } from '../components/ErrorState.tsx';
import { AnalyticsReport } from './AnalyticsReport.tsx';

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
  // biome-ignore lint/correctness/useExhaustiveDependencies: resolved again when the range's fields change or on Refresh (`refreshes`), not on every new `range` object
  const resolved = useMemo(() => resolveRange(range, rangeNow(range.preset)), [range.preset, range.customFrom, range.customTo, refreshes]);
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

      <form
        className="toolbar analytics-filters"
        aria-label="Analytics filters"
        onSubmit={(e) => {
          e.preventDefault();
          setRefreshes((n) => n + 1);
        }}
      >
        <RangeFields range={range} resolved={resolved} setPreset={setPreset} setRange={setRange} />
        <ReportFilters filters={filters} data={data} setFilter={setFilter} />
        <button type="submit" className="btn">
          Refresh
        </button>
        {Object.values(filters).some(Boolean) ? (
          <button type="button" className="btn" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        ) : null}
      </form>

      {error ? <ErrorState error={error} onRetry={reload} retrying={loading} /> : null}
      {loading && !data ? (
        <p className="muted" role="status">
          Loading analytics…
        </p>
      ) : null}
      {data ? <AnalyticsReport data={data} /> : null}

      {panelsShown ? (
        <>
          <GatewayHealthPanel />
          <LiveView role={role} />
        </>
      ) : null}
    </section>
  );
}

/** The time range: a preset, or a custom from and to (each with its error). */
function RangeFields({
  range,
  resolved,
  setPreset,
  setRange,
}: {
  range: TimeRange;
  resolved: ReturnType<typeof resolveRange>;
  setPreset: (preset: RangePreset) => void;
  setRange: (update: (r: TimeRange) => TimeRange) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor="an-range">Time range</label>
        <select id="an-range" value={range.preset} onChange={(e) => setPreset(e.target.value as RangePreset)}>
          {RANGE_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </div>
      {range.preset === 'custom' ? (
        <>
          <div className="field">
            <label htmlFor="an-from">From</label>
            <input
              id="an-from"
              type="datetime-local"
              value={range.customFrom}
              onChange={(e) => setRange((r) => ({ ...r, customFrom: e.target.value }))}
              aria-invalid={!resolved.ok && resolved.field === 'from' ? true : undefined}
              aria-describedby={!resolved.ok && resolved.field === 'from' ? 'an-from-error' : undefined}
            />
            {!resolved.ok && resolved.field === 'from' ? (
              <p id="an-from-error" className="field-error">
                {resolved.reason}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor="an-to">To</label>
            <input
              id="an-to"
              type="datetime-local"
              value={range.customTo}
              onChange={(e) => setRange((r) => ({ ...r, customTo: e.target.value }))}
              aria-invalid={!resolved.ok && resolved.field === 'to' ? true : undefined}
              aria-describedby={!resolved.ok && resolved.field === 'to' ? 'an-to-error' : undefined}
            />
            {!resolved.ok && resolved.field === 'to' ? (
              <p id="an-to-error" className="field-error">
                {resolved.reason}
              </p>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}

/** The report's filters; the options are the values the range holds. */
function ReportFilters({ filters, data, setFilter }: { filters: AnalyticsFilters; data: AnalyticsAnswer | null | undefined; setFilter: (name: keyof AnalyticsFilters, value: string) => void }) {
  return (
    <>
      <FilterSelect
        id="an-pmt"
        label="Payment method type"
        value={filters.payment_method_type}
        options={data?.filters.payment_method_types ?? []}
        onChange={(v) => setFilter('payment_method_type', v)}
      />
      <FilterSelect id="an-brand" label="Card brand" value={filters.card_brand} options={data?.filters.card_brands ?? []} onChange={(v) => setFilter('card_brand', v)} />
      <FilterSelect id="an-gateway" label="Gateway" value={filters.gateway} options={data?.filters.gateways ?? []} onChange={(v) => setFilter('gateway', v)} />
      <FilterSelect
        id="an-logic"
        label="Logic"
        value={filters.logic_id}
        options={(data?.filters.logics ?? []).map((l) => ({ value: l.id, label: l.name }))}
        onChange={(v) => setFilter('logic_id', v)}
      />
    </>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<string | { value: string; label: string }>;
  onChange: (v: string) => void;
}) {
  const list = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  // The chosen value stays selectable even when the filtered answer no longer lists it.
  if (value && !list.some((o) => o.value === value)) list.push({ value, label: value });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {list.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
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
