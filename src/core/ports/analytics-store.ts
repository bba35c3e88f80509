// The storage port of the dashboard's data API: aggregates of the merchant's attempts from the
// rollup tables or live from the transactions, live traffic, order search, and the rollup itself.
// Every read takes the merchant id and never returns another merchant's rows.
import type { AnalyticsAggregate, AnalyticsBucket, AnalyticsFilters, FilterValues, LogicName, OrderSearch, OrderSummary, RollupOptions, RollupResult, SourcePart } from '../analytics/types.ts';

export interface LiveCell {
  t: Date;
  /** '' when no gateway was found for the attempt. */
  gateway: string;
  attempts: number;
  charged: number;
}

export interface AnalyticsStore {
  /** The rollup's boundary: every hour before it is in analytics_hourly (null before the first run). */
  rolledUntil(): Promise<Date | null>;
  /** Totals, series, gateways (with latency histograms), failures, logics and amounts of one part of a range. */
  aggregate(merchantId: string, part: SourcePart, bucket: AnalyticsBucket, filters: AnalyticsFilters): Promise<AnalyticsAggregate>;
  /** Distinct filter values seen in one part of a range (no filter applied). */
  filterValues(merchantId: string, part: SourcePart): Promise<FilterValues>;
  /** Every Priority Logic of the merchant (deleted ones too, marked), for names. */
  logicNames(merchantId: string): Promise<LogicName[]>;
  /** Attempts and charges per gateway per step of `stepSeconds` (steps aligned on the epoch), created in [from, to). */
  liveSeries(merchantId: string, from: Date, to: Date, stepSeconds: number): Promise<LiveCell[]>;
  /** Newest first, after the cursor; at most `limit` rows. */
  searchOrders(merchantId: string, search: OrderSearch): Promise<OrderSummary[]>;
  /** Rebuilds the rollup rows of every (merchant, hour) touched since the watermark (or all, with `full`), in one transaction. */
  rollup(options: RollupOptions): Promise<RollupResult>;
}
