// The Analytics page's report request, shared by the page and the navigation: pressing the
// Analytics link (pointerdown, before the click and the page's first render) starts the default
// report's request, so the answer is on its way while the page draws. This module is small and
// in the first chunk; the page itself is a lazy chunk.
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { queryKeys } from '../api/query-keys.ts';
import { primeRangeNow, resolveRange, type RangePreset } from './time-range.ts';
import type { AnalyticsAnswer } from './types.ts';

// A type, not an interface: it is passed where a string record is expected (query string, key).
export type AnalyticsFilters = {
  payment_method_type: string;
  card_brand: string;
  gateway: string;
  logic_id: string;
};

export const NO_FILTERS: AnalyticsFilters = { payment_method_type: '', card_brand: '', gateway: '', logic_id: '' };

/** The report's query string: the resolved range and the filters (an empty filter is "all"). */
export type ReportQuery = { from: string; to: string } & AnalyticsFilters;

export function loadReport(query: ReportQuery | null, signal: AbortSignal): Promise<AnalyticsAnswer> {
  return api<AnalyticsAnswer>('/v1/dashboard/analytics', { query: query ?? {}, signal });
}

/** How long a report answered ahead of the page counts as fresh when the page asks for it. */
export const PREFETCHED_FRESH_MS = 5_000;

/**
 * Starts the request of a preset range with these filters, as the page will ask for it: the page
 * resolves its range with the same instant (primeRangeNow), so the two share one request and one
 * cache entry. The navigation prefetches the default view (last 24 hours, no filter); the range
 * picker the range just chosen, before the page renders it.
 */
export function prefetchReport(client: QueryClient, preset: Exclude<RangePreset, 'custom'>, filters: AnalyticsFilters, now: number = Date.now()): void {
  primeRangeNow(preset, now);
  const range = resolveRange({ preset, customFrom: '', customTo: '' }, now);
  if (!range.ok) return;
  const query: ReportQuery = { from: range.from, to: range.to, ...filters };
  void client.prefetchQuery({ queryKey: queryKeys.analytics.report(query), queryFn: ({ signal }) => loadReport(query, signal), staleTime: PREFETCHED_FRESH_MS });
}

export function prefetchDefaultReport(client: QueryClient, now: number = Date.now()): void {
  prefetchReport(client, '24h', NO_FILTERS, now);
}
