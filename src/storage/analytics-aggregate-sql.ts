// The dashboard's aggregates: the rows of one part of the range (rollup tables or live from txns)
// in one common shape, aggregated in one pass with the breakdowns as grouping sets.
import { DEFAULT_ORDER_LOGIC_ID, type AnalyticsAggregate, type AnalyticsBucket, type AnalyticsFilters, type AnalyticsSource, type SourcePart } from '../core/analytics/types.ts';
import type { SqlParam } from './db.ts';
import { binned, CHARGED, HIST_INDEXES, LAT_COLUMNS, LATENCY_BUCKET_SQL, num } from './analytics-sql.ts';
import { toDate } from './sql-values.ts';

/** How one source spells the dimensions and measures: rollup rows carry them, live rows compute them. */
interface SourceShape {
  table: string;
  time: string;
  /** The bucket the rows already are (their time needs no binning for it); null for transactions. */
  grain: AnalyticsBucket | null;
  gateway: string;
  logicId: string;
  paymentMethodType: string;
  cardBrand: string;
  status: string;
  errorCode: string;
  errorCategory: string;
  currency: string;
  firstAttempt: string;
  /** Attempts a row stands for. */
  attempts: string;
  amount: string;
  /** Per row: the latency histogram (rollup: lat_1 .. lat_21) or the attempt's latency bucket number (live: latency). */
  latencyColumns: string;
  /** Aggregate of histogram bucket `index` (1-based) over those columns. */
  histogramSum(index: number): string;
}

const rollupShape = (table: string, time: string, grain: AnalyticsBucket): SourceShape => ({
  table,
  time,
  grain,
  gateway: 'gateway',
  logicId: 'logic_id',
  paymentMethodType: 'payment_method_type',
  cardBrand: 'card_brand',
  status: 'status',
  errorCode: 'error_code',
  errorCategory: 'error_category',
  currency: 'currency',
  firstAttempt: 'first_attempt',
  attempts: 'attempts',
  amount: 'amount',
  latencyColumns: LAT_COLUMNS,
  histogramSum: (i) => `sum(lat_${i})`,
});

const LIVE_SHAPE: SourceShape = {
  table: 'txns',
  time: 'created_at',
  grain: null,
  gateway: `coalesce(gateway, '')`,
  logicId: `coalesce(routing_logic_id, '${DEFAULT_ORDER_LOGIC_ID}')`,
  paymentMethodType: 'payment_method_type',
  cardBrand: `coalesce(card ->> 'card_brand', '')`,
  status: 'status',
  errorCode: `coalesce(error_code, '')`,
  errorCategory: `coalesce(error_category, '')`,
  currency: 'currency',
  firstAttempt: '(attempt = 1)',
  attempts: '1',
  amount: 'amount',
  latencyColumns: `${LATENCY_BUCKET_SQL('latency_ms')} AS latency`,
  histogramSum: (i) => `count(*) FILTER (WHERE latency = ${i})`,
};

export const SHAPES: Record<AnalyticsSource, SourceShape> = {
  hourly: rollupShape('analytics_hourly', 'hour', 'hour'),
  daily: rollupShape('analytics_daily', 'day', 'day'),
  live: LIVE_SHAPE,
};

/** The rows of one part, merchant-scoped and filtered, in the common shape. */
export function baseQuery(shape: SourceShape, params: SqlParam[], merchantId: string, part: SourcePart, filters: AnalyticsFilters | null): string {
  params.push(merchantId, part.from, part.to);
  const where = [`merchant_id = $${params.length - 2}`, `${shape.time} >= $${params.length - 1}`, `${shape.time} < $${params.length}`];
  const filter = (expression: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${expression} = $${params.length}`);
  };
  if (filters) {
    filter(shape.paymentMethodType, filters.paymentMethodType);
    filter(shape.cardBrand, filters.cardBrand);
    filter(shape.gateway, filters.gateway);
    filter(shape.logicId, filters.logicId);
  }
  return `SELECT ${shape.time} AS ts, ${shape.gateway} AS gateway, ${shape.logicId} AS logic_id, ${shape.paymentMethodType} AS payment_method_type,
      ${shape.cardBrand} AS card_brand, ${shape.status} AS status, ${shape.errorCode} AS error_code, ${shape.errorCategory} AS error_category,
      ${shape.currency} AS currency, ${shape.firstAttempt} AS first_attempt, ${shape.status} IN ${CHARGED} AS is_charged,
      ${shape.attempts} AS n, ${shape.amount} AS amount, ${shape.latencyColumns}
    FROM ${shape.table} WHERE ${where.join(' AND ')}`;
}

/** Grouping columns of the aggregate, most significant bit first (what GROUPING() numbers). */
const GROUP_COLUMNS = ['t', 'gateway', 'logic_id', 'error_code', 'error_category', 'currency'] as const;
type GroupColumn = (typeof GROUP_COLUMNS)[number];
function groupingMask(grouped: readonly GroupColumn[]): number {
  return GROUP_COLUMNS.reduce((mask, column, i) => (grouped.includes(column) ? mask : mask | (1 << (GROUP_COLUMNS.length - 1 - i))), 0);
}
const SETS = {
  series: ['t', 'gateway'],
  gateway: ['gateway'],
  logic: ['logic_id'],
  failure: ['error_code', 'error_category'],
  currency: ['currency'],
  total: [],
} as const satisfies Record<string, readonly GroupColumn[]>;
const MASK = Object.fromEntries(Object.entries(SETS).map(([name, columns]) => [groupingMask(columns), name])) as Record<number, keyof typeof SETS>;

export interface AggregateRow {
  g: number;
  t: Date | string | null;
  gateway: string | null;
  logic_id: string | null;
  error_code: string | null;
  error_category: string | null;
  currency: string | null;
  attempts: number;
  charged: number;
  amount_charged: number;
  first_attempts: number;
  charged_first: number;
  charged_after: number;
  [histogram: `h${number}`]: number;
}

/** The breakdowns as grouping sets over rows already grouped by every output dimension (`grouped`, with h1 .. h21). */
function groupingSetsSql(grouped: string): string {
  const outer = HIST_INDEXES.map((i) => `sum(h${i})::bigint AS h${i}`).join(', ');
  return `SELECT GROUPING(${GROUP_COLUMNS.join(', ')}) AS g, ${GROUP_COLUMNS.join(', ')},
      sum(attempts)::bigint AS attempts, sum(charged)::bigint AS charged, sum(amount_charged)::bigint AS amount_charged,
      sum(first_attempts)::bigint AS first_attempts, sum(charged_first)::bigint AS charged_first, sum(charged_after)::bigint AS charged_after, ${outer}
    FROM (${grouped}) c
    GROUP BY GROUPING SETS (${Object.values(SETS)
      .map((columns) => `(${columns.join(', ')})`)
      .join(', ')})`;
}

/**
 * One pass over the part's rows: a first aggregate by every output dimension at once, then the
 * breakdowns as grouping sets of that (much smaller) result. Rows already at the bucket's grain
 * keep their time as it is.
 */
export function aggregateSql(shape: SourceShape, params: SqlParam[], merchantId: string, part: SourcePart, bucket: AnalyticsBucket, filters: AnalyticsFilters): string {
  const base = baseQuery(shape, params, merchantId, part, filters);
  const time = shape.grain === bucket ? 'ts' : binned(bucket, 'ts');
  const inner = HIST_INDEXES.map((i) => `${shape.histogramSum(i)} AS h${i}`).join(', ');
  return groupingSetsSql(`SELECT ${time} AS t, gateway, logic_id, error_code, error_category, currency,
        sum(n) AS attempts,
        coalesce(sum(n) FILTER (WHERE is_charged), 0) AS charged,
        coalesce(sum(amount) FILTER (WHERE is_charged), 0) AS amount_charged,
        coalesce(sum(n) FILTER (WHERE first_attempt), 0) AS first_attempts,
        coalesce(sum(n) FILTER (WHERE first_attempt AND is_charged), 0) AS charged_first,
        coalesce(sum(n) FILTER (WHERE NOT first_attempt AND is_charged), 0) AS charged_after,
        ${inner}
      FROM (${base}) b
      GROUP BY 1, 2, 3, 4, 5, 6`);
}

type RolledUpPart = SourcePart & { source: 'hourly' | 'daily' };

/** The rollup tables at the report's grain (migration 024), by the rollup source they stand for. */
const REPORT_TABLES = { hourly: { table: 'analytics_hourly_report', time: 'hour', grain: 'hour' }, daily: { table: 'analytics_daily_report', time: 'day', grain: 'day' } } as const;

/**
 * Whether a report table can answer a part: rolled-up hours or days, filtered (if at all) only by
 * what the report's rows keep, gateway and logic. A payment method or card brand filter needs
 * analytics_hourly or analytics_daily.
 */
export function reportServes(part: SourcePart, filters: AnalyticsFilters): part is RolledUpPart {
  return part.source !== 'live' && filters.paymentMethodType === undefined && filters.cardBrand === undefined;
}

/**
 * The aggregate of a rolled-up part from its report table. Its rows are at the first aggregate's
 * grain already (binned to the bucket when coarser: every measure is a sum, so the grouping sets
 * add them up the same).
 */
export function reportAggregateSql(params: SqlParam[], merchantId: string, part: RolledUpPart, bucket: AnalyticsBucket, filters: AnalyticsFilters): string {
  const { table, time, grain } = REPORT_TABLES[part.source];
  params.push(merchantId, part.from, part.to);
  const where = [`merchant_id = $${params.length - 2}`, `${time} >= $${params.length - 1}`, `${time} < $${params.length}`];
  for (const [column, value] of [
    ['gateway', filters.gateway],
    ['logic_id', filters.logicId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  return groupingSetsSql(`SELECT ${grain === bucket ? time : binned(bucket, time)} AS t, gateway, logic_id, error_code, error_category, currency, attempts, charged,
        amount_charged, first_attempts, charged_first, charged_after, ${HIST_INDEXES.map((i) => `lat_${i} AS h${i}`).join(', ')}
      FROM ${table} WHERE ${where.join(' AND ')}`);
}

export function aggregateFromRows(rows: AggregateRow[]): AnalyticsAggregate {
  const out: AnalyticsAggregate = {
    series: [],
    gateways: [],
    failures: [],
    logics: [],
    amounts: [],
    totals: { attempts: 0, charged: 0, firstAttempts: 0, chargedFirstAttempt: 0, chargedAfterFallback: 0 },
  };
  for (const r of rows) {
    const attempts = num(r.attempts);
    const charged = num(r.charged);
    switch (MASK[Number(r.g)]) {
      case 'series':
        out.series.push({ t: toDate(r.t!), gateway: r.gateway ?? '', attempts, charged });
        break;
      case 'gateway':
        out.gateways.push({ gateway: r.gateway ?? '', attempts, charged, latency: HIST_INDEXES.map((i) => num(r[`h${i}`])) });
        break;
      case 'logic':
        out.logics.push({ logicId: r.logic_id ?? DEFAULT_ORDER_LOGIC_ID, attempts, charged });
        break;
      case 'failure':
        if (r.error_code) out.failures.push({ errorCode: r.error_code, category: r.error_category ?? '', count: attempts });
        break;
      case 'currency':
        out.amounts.push({ currency: r.currency ?? '', amountCharged: num(r.amount_charged) });
        break;
      case 'total':
        out.totals = { attempts, charged, firstAttempts: num(r.first_attempts), chargedFirstAttempt: num(r.charged_first), chargedAfterFallback: num(r.charged_after) };
        break;
      default:
        break;
    }
  }
  return out;
}
