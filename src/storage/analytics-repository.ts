// AnalyticsStore over plain SQL (PGlite and PostgreSQL): the dashboard's aggregates from the
// rollup tables (analytics_hourly, analytics_daily; without a method or brand filter their report-grain
// twins analytics_hourly_report, analytics_daily_report; the closed days' picker values from
// analytics_daily_values) or live from txns with one query shape, live
// traffic, order search, and the rollup itself. Times are UTC (buckets are date_bin from the epoch), so
// the server's TimeZone setting never moves a bucket.
// The queries live by what they serve: analytics-aggregate-sql.ts (aggregates), analytics-rollup-sql.ts
// (the rollup), analytics-order-search.ts (order search); analytics-sql.ts holds what they share.
import type { FilterValues, OrderSearch, OrderSummary } from '../core/analytics/types.ts';
import type { AnalyticsStore, LiveCell } from '../core/ports/analytics-store.ts';
import type { Db, SqlParam } from './db.ts';
import { aggregateFromRows, aggregateSql, baseQuery, reportAggregateSql, reportServes, SHAPES, type AggregateRow } from './analytics-aggregate-sql.ts';
import { searchOrders, SEARCH_CANDIDATES } from './analytics-order-search.ts';
import { rollupIn } from './analytics-rollup-sql.ts';
import { CHARGED, num } from './analytics-sql.ts';
import { toDate } from './sql-values.ts';

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
      const sql = reportServes(part, filters) ? reportAggregateSql(params, merchantId, part, bucket, filters) : aggregateSql(SHAPES[part.source], params, merchantId, part, bucket, filters);
      return aggregateFromRows(await db.query<AggregateRow>(sql, params));
    },

    async filterValues(merchantId, part): Promise<FilterValues> {
      const params: SqlParam[] = [];
      // Closed days: the rollup keeps their combinations (analytics_daily_values); other parts list them from their rows.
      let rowsOf: string;
      if (part.source === 'daily') {
        params.push(merchantId, part.from, part.to);
        rowsOf = 'analytics_daily_values WHERE merchant_id = $1 AND day >= $2 AND day < $3';
      } else {
        rowsOf = `(${baseQuery(SHAPES[part.source], params, merchantId, part, null)}) b`;
      }
      const sql = `SELECT DISTINCT payment_method_type, card_brand, gateway, logic_id FROM ${rowsOf}`;
      const rows = await db.query<{ payment_method_type: string; card_brand: string; gateway: string; logic_id: string }>(sql, params);
      const distinct = (key: keyof (typeof rows)[number]) => [...new Set(rows.map((r) => r[key]).filter((v) => v !== ''))].sort();
      return { paymentMethodTypes: distinct('payment_method_type'), cardBrands: distinct('card_brand'), gateways: distinct('gateway'), logicIds: distinct('logic_id') };
    },

    async logicNames(merchantId) {
      const rows = await db.query<{ id: string; name: string; deleted: boolean }>('SELECT id, name, deleted_at IS NOT NULL AS deleted FROM priority_logics WHERE merchant_id = $1', [merchantId]);
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

    searchOrders(merchantId, search: OrderSearch): Promise<OrderSummary[]> {
      return searchOrders(db, searchCandidates, merchantId, search);
    },

    rollup(options) {
      return db.transaction((tx) => rollupIn(tx, options));
    },
  };
}
