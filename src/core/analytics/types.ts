// Domain types of the dashboard's data API: analytics over the merchant's attempts, live traffic,
// order search. Counts are integers; amounts are integer minor units, never floats.
import type { Order, Refund, Txn } from '../payments/types.ts';

export const ANALYTICS_BUCKETS = ['minute', 'hour', 'day'] as const;
export type AnalyticsBucket = (typeof ANALYTICS_BUCKETS)[number];

/** Statuses in which an attempt took the shopper's money: "charged" in every analytics figure. */
export const CHARGED_TXN_STATUSES = ['CHARGED', 'AUTHORIZED'] as const;

/** The routing decision's logic id when no Priority Logic decided (the default gateway order). */
export const DEFAULT_ORDER_LOGIC_ID = 'DEFAULT_ORDER';

export interface AnalyticsFilters {
  paymentMethodType?: string;
  cardBrand?: string;
  gateway?: string;
  logicId?: string;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface AnalyticsQuery extends TimeRange {
  bucket: AnalyticsBucket;
  filters: AnalyticsFilters;
}

/**
 * Where a slice of the range is read: `hourly` and `daily` are the rollup tables (whole hours or
 * days that the rollup worker has closed), `live` the transactions themselves.
 */
export type AnalyticsSource = 'daily' | 'hourly' | 'live';

export interface SourcePart extends TimeRange {
  source: AnalyticsSource;
}

// ---- what the store answers for one part ------------------------------------------------------

/** Gateway '' stands for attempts that never reached one (no eligible gateway). */
export interface SeriesCell {
  t: Date;
  gateway: string;
  attempts: number;
  charged: number;
}

export interface GatewayCell {
  gateway: string;
  attempts: number;
  charged: number;
  /** Counts per latency bucket (latency-buckets.ts); attempts without a latency are not in it. */
  latency: number[];
}

export interface FailureCell {
  errorCode: string;
  category: string;
  count: number;
}

export interface LogicCell {
  logicId: string;
  attempts: number;
  charged: number;
}

export interface AmountCell {
  currency: string;
  amountCharged: number;
}

export interface AnalyticsTotals {
  attempts: number;
  charged: number;
  /** First attempts, i.e. orders that started paying. */
  firstAttempts: number;
  chargedFirstAttempt: number;
  chargedAfterFallback: number;
}

export interface AnalyticsAggregate {
  series: SeriesCell[];
  gateways: GatewayCell[];
  failures: FailureCell[];
  logics: LogicCell[];
  amounts: AmountCell[];
  totals: AnalyticsTotals;
}

export interface FilterValues {
  paymentMethodTypes: string[];
  cardBrands: string[];
  gateways: string[];
  logicIds: string[];
}

export interface LogicName {
  id: string;
  name: string;
  deleted: boolean;
}

// ---- the report -------------------------------------------------------------------------------

export interface LatencyPercentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface AnalyticsReport extends TimeRange {
  bucket: AnalyticsBucket;
  /** The filters the figures were computed with. */
  appliedFilters: AnalyticsFilters;
  /** Hours before this instant came from the rollup; null when nothing is rolled up yet. */
  rolledUpUntil: Date | null;
  totals: {
    attempts: number;
    charged: number;
    successRate: number | null;
    orders: number;
    /** Charged amount in `currency` (the merchant's main currency in the range). */
    amountChargedMinor: number;
    currency: string | null;
    amountsCharged: AmountCell[];
  };
  byGateway: Array<{ gateway: string | null; attempts: number; charged: number; successRate: number | null; latencyMs: LatencyPercentiles }>;
  series: Array<{ t: Date; gateway: string | null; attempts: number; charged: number }>;
  failures: Array<{ errorCode: string; category: string | null; count: number }>;
  byLogic: Array<{ logicId: string; logicName: string; attempts: number; charged: number; successRate: number | null }>;
  firstAttempt: { orders: number; chargedFirstAttempt: number; chargedAfterFallback: number };
  /** Values for the filter pickers: seen in the range (no filter applied), the logics included (those that decided a payment in it). */
  filters: { paymentMethodTypes: string[]; cardBrands: string[]; gateways: string[]; logics: Array<{ id: string; name: string }> };
}

// ---- live traffic -----------------------------------------------------------------------------

export interface LiveQuery {
  seconds: number;
  stepSeconds: number;
}

export interface LiveReport extends TimeRange {
  stepSeconds: number;
  series: Array<{ t: Date; gateway: string | null; attempts: number; charged: number }>;
}

// ---- orders -----------------------------------------------------------------------------------

/** Keyset position of an order in the newest-first list: creation time in microseconds, then the row id. */
export interface OrderCursor {
  createdUs: number;
  id: string;
}

export interface OrderSearch {
  search?: string;
  status?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: OrderCursor;
}

export interface OrderSummary {
  id: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  customerId: string | null;
  customerEmail: string | null;
  txnCount: number;
  gateway: string | null;
  createdAt: Date;
  cursor: OrderCursor;
}

export interface OrderPage {
  orders: OrderSummary[];
  nextCursor: string | null;
}

export interface OrderDetail {
  order: Order;
  txns: Txn[];
  refunds: Refund[];
}

// ---- rollup -----------------------------------------------------------------------------------

export interface RollupOptions {
  /** Updates younger than this are left to the next run (transactions still committing). */
  lagMs: number;
  /** Rebuild every closed hour and day from the transactions, whatever the watermark. */
  full?: boolean;
}

export interface RollupResult {
  /** (merchant, hour) pairs rebuilt. */
  hours: number;
  /** (merchant, day) pairs rebuilt. */
  days: number;
  hourlyRows: number;
  dailyRows: number;
  watermark: Date;
  rolledUntil: Date;
  full: boolean;
}
