// AnalyticsStore over plain SQL (PGlite and PostgreSQL): the dashboard's aggregates from the
// rollup tables (analytics_hourly, analytics_daily) or live from txns with one query shape, live
// traffic, order search, and the rollup itself. Times are UTC (buckets are date_bin from the epoch), so
// the server's TimeZone setting never moves a bucket.
import { latencyBucketLowerBounds, LATENCY_BUCKET_COUNT } from '../core/analytics/latency-buckets.ts';
import { DAY_MS, floorTo } from '../core/analytics/time-plan.ts';
import {
  CHARGED_TXN_STATUSES, DEFAULT_ORDER_LOGIC_ID,
  type AnalyticsAggregate, type AnalyticsBucket, type AnalyticsFilters, type AnalyticsSource, type FilterValues, type OrderSearch, type OrderSummary,
  type RollupOptions, type RollupResult, type SourcePart,
} from '../core/analytics/types.ts';
import type { AnalyticsStore, LiveCell } from '../core/ports/analytics-store.ts';
import type { Db, Sql, SqlParam } from './db.ts';

const CHARGED = `(${CHARGED_TXN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
/** The rollup tables hold one column per latency bucket, lat_1 .. lat_21 (migration 008). */
const ROLLUP_LATENCY_COLUMNS = 21;
if (LATENCY_BUCKET_COUNT !== ROLLUP_LATENCY_COLUMNS) throw new Error('latency buckets changed: migrate the rollup tables (lat_N columns) to match');
const HIST_INDEXES = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => i + 1);
const LAT_COLUMNS = HIST_INDEXES.map((i) => `lat_${i}`).join(', ');
/** SQL bucket number (1-based, so lat_N's N) of a latency, per latency-buckets.ts; NULL when the attempt has none. */
const LATENCY_BUCKET_SQL = (column: string) => `width_bucket(greatest(${column}, 0), ARRAY[${latencyBucketLowerBounds().join(', ')}])`;
/** UTC bucket starts without time zone lookups (date_bin counts from the epoch; the session TimeZone never matters). */
const EPOCH = `timestamptz '1970-01-01 00:00:00+00'`;
const BIN: Record<AnalyticsBucket, string> = { minute: `'1 minute'`, hour: `'1 hour'`, day: `'1 day'` };
const binned = (bucket: AnalyticsBucket, column: string) => `date_bin(${BIN[bucket]}, ${column}, ${EPOCH})`;

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
  table, time, grain, gateway: 'gateway', logicId: 'logic_id', paymentMethodType: 'payment_method_type', cardBrand: 'card_brand', status: 'status',
  errorCode: 'error_code', errorCategory: 'error_category', currency: 'currency', firstAttempt: 'first_attempt', attempts: 'attempts', amount: 'amount',
  latencyColumns: LAT_COLUMNS, histogramSum: (i) => `sum(lat_${i})`,
});

const LIVE_SHAPE: SourceShape = {
  table: 'txns', time: 'created_at', grain: null, gateway: `coalesce(gateway, '')`, logicId: `coalesce(routing_logic_id, '${DEFAULT_ORDER_LOGIC_ID}')`,
  paymentMethodType: 'payment_method_type', cardBrand: `coalesce(card ->> 'card_brand', '')`, status: 'status', errorCode: `coalesce(error_code, '')`,
  errorCategory: `coalesce(error_category, '')`, currency: 'currency', firstAttempt: '(attempt = 1)', attempts: '1', amount: 'amount',
  latencyColumns: `${LATENCY_BUCKET_SQL('latency_ms')} AS latency`, histogramSum: (i) => `count(*) FILTER (WHERE latency = ${i})`,
};

const SHAPES: Record<AnalyticsSource, SourceShape> = {
  hourly: rollupShape('analytics_hourly', 'hour', 'hour'),
  daily: rollupShape('analytics_daily', 'day', 'day'),
  live: LIVE_SHAPE,
};

/** The rows of one part, merchant-scoped and filtered, in the common shape. */
function baseQuery(shape: SourceShape, params: SqlParam[], merchantId: string, part: SourcePart, filters: AnalyticsFilters | null): string {
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

interface AggregateRow {
  g: number; t: Date | string | null; gateway: string | null; logic_id: string | null; error_code: string | null; error_category: string | null; currency: string | null;
  attempts: number; charged: number; amount_charged: number; first_attempts: number; charged_first: number; charged_after: number;
  [histogram: `h${number}`]: number;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/**
 * One pass over the part's rows: a first aggregate by every output dimension at once, then the
 * breakdowns as grouping sets of that (much smaller) result. Rows already at the bucket's grain
 * keep their time as it is.
 */
function aggregateSql(shape: SourceShape, params: SqlParam[], merchantId: string, part: SourcePart, bucket: AnalyticsBucket, filters: AnalyticsFilters): string {
  const base = baseQuery(shape, params, merchantId, part, filters);
  const time = shape.grain === bucket ? 'ts' : binned(bucket, 'ts');
  const inner = HIST_INDEXES.map((i) => `${shape.histogramSum(i)} AS h${i}`).join(', ');
  const outer = HIST_INDEXES.map((i) => `sum(h${i})::bigint AS h${i}`).join(', ');
  return `SELECT GROUPING(${GROUP_COLUMNS.join(', ')}) AS g, ${GROUP_COLUMNS.join(', ')},
      sum(attempts)::bigint AS attempts, sum(charged)::bigint AS charged, sum(amount_charged)::bigint AS amount_charged,
      sum(first_attempts)::bigint AS first_attempts, sum(charged_first)::bigint AS charged_first, sum(charged_after)::bigint AS charged_after, ${outer}
    FROM (
      SELECT ${time} AS t, gateway, logic_id, error_code, error_category, currency,
        sum(n) AS attempts,
        coalesce(sum(n) FILTER (WHERE is_charged), 0) AS charged,
        coalesce(sum(amount) FILTER (WHERE is_charged), 0) AS amount_charged,
        coalesce(sum(n) FILTER (WHERE first_attempt), 0) AS first_attempts,
        coalesce(sum(n) FILTER (WHERE first_attempt AND is_charged), 0) AS charged_first,
        coalesce(sum(n) FILTER (WHERE NOT first_attempt AND is_charged), 0) AS charged_after,
        ${inner}
      FROM (${base}) b
      GROUP BY 1, 2, 3, 4, 5, 6
    ) c
    GROUP BY GROUPING SETS (${Object.values(SETS).map((columns) => `(${columns.join(', ')})`).join(', ')})`;
}

function aggregateFromRows(rows: AggregateRow[]): AnalyticsAggregate {
  const out: AnalyticsAggregate = {
    series: [], gateways: [], failures: [], logics: [], amounts: [],
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

// ---- rollup ---------------------------------------------------------------------------------------

const DIMENSIONS = 'gateway, logic_id, payment_method_type, card_brand, status, error_code, error_category, currency, first_attempt';
const HOURLY_COLUMNS = `merchant_id, hour, ${DIMENSIONS}, attempts, amount, ${LAT_COLUMNS}`;
const DAILY_COLUMNS = `merchant_id, day, ${DIMENSIONS}, attempts, amount, ${LAT_COLUMNS}`;

/** Aggregates transactions into hourly rows; `source` is a FROM clause that yields txns rows as t. */
function insertHourlySql(source: string): string {
  const histogram = HIST_INDEXES.map((i) => `count(*) FILTER (WHERE latency = ${i})`).join(', ');
  return `INSERT INTO analytics_hourly (${HOURLY_COLUMNS})
    SELECT merchant_id, hour, ${DIMENSIONS}, count(*)::int, sum(amount)::bigint, ${histogram}
    FROM (
      SELECT t.merchant_id, ${binned('hour', 't.created_at')} AS hour, coalesce(t.gateway, '') AS gateway,
        coalesce(t.routing_logic_id, '${DEFAULT_ORDER_LOGIC_ID}') AS logic_id, t.payment_method_type,
        coalesce(t.card ->> 'card_brand', '') AS card_brand, t.status, coalesce(t.error_code, '') AS error_code,
        coalesce(t.error_category, '') AS error_category, t.currency, t.attempt = 1 AS first_attempt, t.amount, ${LATENCY_BUCKET_SQL('t.latency_ms')} AS latency
      FROM ${source}
    ) s
    GROUP BY merchant_id, hour, ${DIMENSIONS}`;
}

function insertDailySql(source: string): string {
  const histogram = HIST_INDEXES.map((i) => `sum(h.lat_${i})::int`).join(', ');
  return `INSERT INTO analytics_daily (${DAILY_COLUMNS})
    SELECT h.merchant_id, ${binned('day', 'h.hour')} AS day, ${DIMENSIONS.split(', ').map((d) => `h.${d}`).join(', ')},
      sum(h.attempts)::int, sum(h.amount)::bigint, ${histogram}
    FROM ${source}
    GROUP BY 1, 2, ${DIMENSIONS.split(', ').map((d) => `h.${d}`).join(', ')}`;
}

const PAIRS = (name: string) => `unnest($1::text[], $2::timestamptz[]) AS k(merchant_id, ${name})`;
const iso = (d: Date) => d.toISOString();

interface StateRow { watermark: Date | string | null; rolled_until: Date | string | null }

async function rollupIn(tx: Sql, options: RollupOptions): Promise<RollupResult> {
  // The state row's lock makes concurrent runs (several instances) take turns. (008 inserts the row; a lost one comes back.)
  await tx.query('INSERT INTO analytics_rollup_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
  const [state] = await tx.query<StateRow>('SELECT watermark, rolled_until FROM analytics_rollup_state WHERE id = 1 FOR UPDATE');
  // Database time, read after the lock: the same clock as updated_at. Millisecond precision so JS dates hold it exactly.
  const [clock] = await tx.query<{ cutoff: Date | string }>(
    `SELECT date_trunc('milliseconds', clock_timestamp() - make_interval(secs => $1::float8)) AS cutoff`, [options.lagMs / 1000],
  );
  const previousWatermark = state?.watermark ? toDate(state.watermark) : null;
  const previousRolled = state?.rolled_until ? toDate(state.rolled_until) : null;
  const full = options.full === true || previousWatermark === null || previousRolled === null;
  const cutoff = new Date(Math.max(toDate(clock!.cutoff).getTime(), previousWatermark?.getTime() ?? 0));
  const closed = new Date(Math.max(floorTo(cutoff, 3_600_000).getTime(), previousRolled?.getTime() ?? 0));
  const closedDay = floorTo(closed, DAY_MS);
  let hours = 0;
  let days = 0;
  let hourlyRows = 0;
  let dailyRows = 0;

  if (full) {
    await tx.query('DELETE FROM analytics_hourly');
    const inserted = await tx.query<{ n: number }>(`WITH ins AS (${insertHourlySql('txns t WHERE t.created_at < $1')} RETURNING 1) SELECT count(*)::int AS n FROM ins`, [closed]);
    hourlyRows = num(inserted[0]?.n);
    await tx.query('DELETE FROM analytics_daily');
    const daily = await tx.query<{ n: number }>(`WITH ins AS (${insertDailySql('analytics_hourly h WHERE h.hour < $1')} RETURNING 1) SELECT count(*)::int AS n FROM ins`, [closedDay]);
    dailyRows = num(daily[0]?.n);
    const counts = await tx.query<{ hours: number; days: number }>(
      `SELECT (SELECT count(*) FROM (SELECT DISTINCT merchant_id, hour FROM analytics_hourly) x)::int AS hours,
              (SELECT count(*) FROM (SELECT DISTINCT merchant_id, day FROM analytics_daily) y)::int AS days`,
    );
    hours = num(counts[0]?.hours);
    days = num(counts[0]?.days);
  } else {
    // Hours touched since the watermark, and hours that closed since the last run (every row created in
    // them was last updated after that run's boundary, so the updated_at index finds them all).
    const touched = await tx.query<{ merchant_id: string; hour: Date | string }>(
      `SELECT merchant_id, ${binned('hour', 'created_at')} AS hour FROM txns
        WHERE updated_at >= $1 AND updated_at <= $2 AND created_at < $3 AND (updated_at > $4 OR created_at >= $1)
        GROUP BY 1, 2`,
      [previousRolled, cutoff, closed, previousWatermark],
    );
    const merchants = touched.map((r) => r.merchant_id);
    const hourStarts = touched.map((r) => iso(toDate(r.hour)));
    hours = touched.length;
    if (hours > 0) {
      await tx.query(`DELETE FROM analytics_hourly h USING ${PAIRS('hour')} WHERE h.merchant_id = k.merchant_id AND h.hour = k.hour`, [merchants, hourStarts]);
      const inserted = await tx.query<{ n: number }>(
        // One index range scan per (merchant, hour): OFFSET 0 keeps the planner from flattening the
        // LATERAL into a join that hashes the pairs and scans the whole table (one merchant = no selectivity).
        `WITH ins AS (${insertHourlySql(`${PAIRS('hour')} CROSS JOIN LATERAL (SELECT * FROM txns x WHERE x.merchant_id = k.merchant_id AND x.created_at >= k.hour AND x.created_at < k.hour + interval '1 hour' OFFSET 0) t`)} RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [merchants, hourStarts],
      );
      hourlyRows = num(inserted[0]?.n);
    }
    // Days to rebuild from their hours: closed days with a touched hour, and days that closed in this run (every merchant).
    const dayKeys = new Map<string, { merchant: string; day: string }>();
    for (const r of touched) {
      const day = floorTo(toDate(r.hour), DAY_MS);
      if (day < closedDay) dayKeys.set(`${r.merchant_id}|${day.getTime()}`, { merchant: r.merchant_id, day: iso(day) });
    }
    const newlyClosed: Date[] = [];
    for (let d = floorTo(previousRolled!, DAY_MS).getTime(); d < closedDay.getTime(); d += DAY_MS) newlyClosed.push(new Date(d));
    if (newlyClosed.length > 0) {
      const all = await tx.query<{ id: string }>('SELECT id FROM merchants');
      for (const m of all) for (const d of newlyClosed) dayKeys.set(`${m.id}|${d.getTime()}`, { merchant: m.id, day: iso(d) });
    }
    if (dayKeys.size > 0) {
      const keys = [...dayKeys.values()];
      const params = [keys.map((k) => k.merchant), keys.map((k) => k.day)];
      await tx.query(`DELETE FROM analytics_daily d USING ${PAIRS('day')} WHERE d.merchant_id = k.merchant_id AND d.day = k.day`, params);
      const inserted = await tx.query<{ n: number }>(
        `WITH ins AS (${insertDailySql(`${PAIRS('day')} CROSS JOIN LATERAL (SELECT * FROM analytics_hourly x WHERE x.merchant_id = k.merchant_id AND x.hour >= k.day AND x.hour < k.day + interval '24 hours' OFFSET 0) h`)} RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        params,
      );
      dailyRows = num(inserted[0]?.n);
      days = keys.length;
    }
  }
  await tx.query('UPDATE analytics_rollup_state SET watermark = $1, rolled_until = $2, updated_at = now() WHERE id = 1', [cutoff, closed]);
  return { hours, days, hourlyRows, dailyRows, watermark: cutoff, rolledUntil: closed, full };
}

// ---- orders -------------------------------------------------------------------------------------

interface OrderSummaryRow {
  id: string; order_id: string; status: string; amount: number; currency: string; customer_id: string | null; customer_email: string | null;
  txn_count: number; gateway: string | null; created_at: Date | string; created_us: number | string;
}

/** In-flight transaction statuses: the partial index txns_unsettled (migration 001) lists them. */
const UNSETTLED_STATUSES = ['STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING'] as const;

/** Above this many matches an order search walks the orders newest first instead of collecting them. */
const SEARCH_CANDIDATES = 2000;

/** A LIKE pattern matching what starts with `text` (its own % and _ taken literally). */
function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createAnalyticsStore(db: Db, options: { searchCandidates?: number } = {}): AnalyticsStore {
  const searchCandidates = options.searchCandidates ?? SEARCH_CANDIDATES;
  return {
    async rolledUntil() {
      const rows = await db.query<{ rolled_until: Date | string | null }>('SELECT rolled_until FROM analytics_rollup_state WHERE id = 1');
      const value = rows[0]?.rolled_until;
      return value ? toDate(value) : null;
    },

    async aggregate(merchantId, part, bucket, filters) {
      const params: SqlParam[] = [];
      const sql = aggregateSql(SHAPES[part.source], params, merchantId, part, bucket, filters);
      return aggregateFromRows(await db.query<AggregateRow>(sql, params));
    },

    async filterValues(merchantId, part): Promise<FilterValues> {
      const params: SqlParam[] = [];
      const base = baseQuery(SHAPES[part.source], params, merchantId, part, null);
      const rows = await db.query<{ payment_method_type: string; card_brand: string; gateway: string; logic_id: string }>(
        `SELECT DISTINCT payment_method_type, card_brand, gateway, logic_id FROM (${base}) b`, params,
      );
      const distinct = (key: keyof (typeof rows)[number]) => [...new Set(rows.map((r) => r[key]).filter((v) => v !== ''))].sort();
      return { paymentMethodTypes: distinct('payment_method_type'), cardBrands: distinct('card_brand'), gateways: distinct('gateway'), logicIds: distinct('logic_id') };
    },

    async logicNames(merchantId) {
      const rows = await db.query<{ id: string; name: string; deleted: boolean }>(
        'SELECT id, name, deleted_at IS NOT NULL AS deleted FROM priority_logics WHERE merchant_id = $1', [merchantId],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, deleted: r.deleted }));
    },

    async liveSeries(merchantId, from, to, stepSeconds): Promise<LiveCell[]> {
      const rows = await db.query<{ t_s: number | string; gateway: string; attempts: number; charged: number }>(
        `SELECT (floor(extract(epoch FROM created_at) / $4::int) * $4::int)::bigint AS t_s, coalesce(gateway, '') AS gateway,
                count(*)::int AS attempts, count(*) FILTER (WHERE status IN ${CHARGED})::int AS charged
           FROM txns WHERE merchant_id = $1 AND created_at >= $2 AND created_at < $3
          GROUP BY 1, 2`,
        [merchantId, from, to, stepSeconds],
      );
      return rows.map((r) => ({ t: new Date(Number(r.t_s) * 1000), gateway: r.gateway, attempts: num(r.attempts), charged: num(r.charged) }));
    },

    async searchOrders(merchantId, search: OrderSearch): Promise<OrderSummary[]> {
      const params: SqlParam[] = [merchantId];
      const where = ['o.merchant_id = $1'];
      if (search.status) {
        params.push(search.status);
        where.push(`o.status = $${params.length}`);
        // Orders carry no index on status: one would stop every order update from being a HOT
        // update (about 8% of a payment's time on PGlite). Common statuses are dense, so walking
        // newest first finds a page quickly; the rare in-flight ones are found through their
        // transactions' index of unsettled attempts (txns_unsettled).
        if (!search.search && (UNSETTLED_STATUSES as readonly string[]).includes(search.status)) {
          const candidates = await db.query<{ order_pk: string }>(
            `SELECT DISTINCT order_pk FROM txns
              WHERE status = $2 AND status IN (${UNSETTLED_STATUSES.map((x) => `'${x}'`).join(', ')}) AND merchant_id = $1
              LIMIT ${searchCandidates + 1}`,
            [merchantId, search.status],
          );
          if (candidates.length <= searchCandidates) {
            params.push(candidates.map((c) => c.order_pk));
            where.push(`o.id = ANY($${params.length}::text[])`);
          }
        }
      }
      if (search.from) {
        params.push(search.from);
        where.push(`o.created_at >= $${params.length}`);
      }
      if (search.to) {
        params.push(search.to);
        where.push(`o.created_at < $${params.length}`);
      }
      if (search.search) {
        // A narrow prefix: collect its matches through the three prefix indexes, then sort those. A
        // broad one (more than `searchCandidates` matches): walk the orders newest first and filter,
        // which finds a page quickly because matches are dense. Left to itself the planner sometimes
        // walks newest first for a narrow prefix of old orders too, reading most of the table.
        const pattern = prefixPattern(search.search);
        const candidates = await db.query<{ id: string }>(
          `SELECT id FROM (
             (SELECT id FROM orders WHERE merchant_id = $1 AND order_id LIKE $2 LIMIT ${searchCandidates + 1})
             UNION (SELECT id FROM orders WHERE merchant_id = $1 AND customer_id LIKE $2 LIMIT ${searchCandidates + 1})
             UNION (SELECT id FROM orders WHERE merchant_id = $1 AND lower(customer_email) LIKE lower($2) LIMIT ${searchCandidates + 1})
           ) m LIMIT ${searchCandidates + 1}`,
          [merchantId, pattern],
        );
        if (candidates.length === 0) return [];
        if (candidates.length <= searchCandidates) {
          params.push(candidates.map((c) => c.id));
          where.push(`o.id = ANY($${params.length}::text[])`);
        } else {
          params.push(pattern);
          const p = `$${params.length}`;
          where.push(`(o.order_id LIKE ${p} OR o.customer_id LIKE ${p} OR lower(o.customer_email) LIKE lower(${p}))`);
        }
      }
      if (search.cursor) {
        params.push(String(search.cursor.createdUs), search.cursor.id);
        where.push(`(o.created_at, o.id) < (timestamptz 'epoch' + ($${params.length - 1} || ' microseconds')::interval, $${params.length})`);
      }
      params.push(search.limit);
      const rows = await db.query<OrderSummaryRow>(
        `SELECT o.id, o.order_id, o.status, o.amount, o.currency, o.customer_id, o.customer_email, o.txn_count, o.created_at,
                (extract(epoch FROM o.created_at) * 1000000)::bigint AS created_us,
                (SELECT t.gateway FROM txns t WHERE t.id = coalesce(o.charged_txn_id, o.last_txn_id)) AS gateway
           FROM orders o
          WHERE ${where.join(' AND ')}
          ORDER BY o.created_at DESC, o.id DESC
          LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => ({
        id: r.id, orderId: r.order_id, status: r.status, amount: Number(r.amount), currency: r.currency, customerId: r.customer_id,
        customerEmail: r.customer_email, txnCount: r.txn_count, gateway: r.gateway, createdAt: toDate(r.created_at),
        cursor: { createdUs: Number(r.created_us), id: r.id },
      }));
    },

    rollup(options) {
      return db.transaction((tx) => rollupIn(tx, options));
    },
  };
}
