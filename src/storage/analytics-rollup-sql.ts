// The rollup: transactions into hourly rows, hourly rows into daily ones, daily rows into the
// report's grain and the pickers' values (migration 024); incremental from the watermark (only the
// hours touched since, and the days they fall in), or full.
import { DAY_MS, floorTo } from '../core/analytics/time-plan.ts';
import { DEFAULT_ORDER_LOGIC_ID, type RollupOptions, type RollupResult } from '../core/analytics/types.ts';
import type { Sql } from './db.ts';
import { binned, CHARGED, HIST_INDEXES, LAT_COLUMNS, LATENCY_BUCKET_SQL, num } from './analytics-sql.ts';
import { toDate } from './sql-values.ts';

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
    SELECT h.merchant_id, ${binned('day', 'h.hour')} AS day, ${DIMENSIONS.split(', ')
      .map((d) => `h.${d}`)
      .join(', ')},
      sum(h.attempts)::int, sum(h.amount)::bigint, ${histogram}
    FROM ${source}
    GROUP BY 1, 2, ${DIMENSIONS.split(', ')
      .map((d) => `h.${d}`)
      .join(', ')}`;
}

const REPORT_KEY = 'gateway, logic_id, error_code, error_category, currency';
const VALUE_KEY = 'payment_method_type, card_brand, gateway, logic_id';

/**
 * Rollup rows (`source` yields analytics_hourly or analytics_daily rows as d) at the report's grain,
 * into analytics_hourly_report or analytics_daily_report: method, brand, status and first attempt summed away.
 */
function insertReportSql(grain: 'hour' | 'day', source: string): string {
  const charged = `d.status IN ${CHARGED}`;
  const histogram = HIST_INDEXES.map((i) => `sum(d.lat_${i})::int`).join(', ');
  const key = REPORT_KEY.split(', ')
    .map((c) => `d.${c}`)
    .join(', ');
  const table = grain === 'hour' ? 'analytics_hourly_report' : 'analytics_daily_report';
  return `INSERT INTO ${table} (merchant_id, ${grain}, ${REPORT_KEY}, attempts, charged, amount_charged, first_attempts, charged_first, charged_after, ${LAT_COLUMNS})
    SELECT d.merchant_id, d.${grain}, ${key}, sum(d.attempts)::int,
      coalesce(sum(d.attempts) FILTER (WHERE ${charged}), 0)::int,
      coalesce(sum(d.amount) FILTER (WHERE ${charged}), 0)::bigint,
      coalesce(sum(d.attempts) FILTER (WHERE d.first_attempt), 0)::int,
      coalesce(sum(d.attempts) FILTER (WHERE d.first_attempt AND ${charged}), 0)::int,
      coalesce(sum(d.attempts) FILTER (WHERE NOT d.first_attempt AND ${charged}), 0)::int,
      ${histogram}
    FROM ${source}
    GROUP BY d.merchant_id, d.${grain}, ${key}`;
}

/** The picker values' combinations of analytics_daily rows (`source` yields them as d). */
function insertDailyValuesSql(source: string): string {
  return `INSERT INTO analytics_daily_values (merchant_id, day, ${VALUE_KEY})
    SELECT DISTINCT d.merchant_id, d.day, ${VALUE_KEY.split(', ')
      .map((c) => `d.${c}`)
      .join(', ')} FROM ${source}`;
}

const PAIRS = (name: string) => `unnest($1::text[], $2::timestamptz[]) AS k(merchant_id, ${name})`;
const iso = (d: Date) => d.toISOString();

interface StateRow {
  watermark: Date | string | null;
  rolled_until: Date | string | null;
}

export async function rollupIn(tx: Sql, options: RollupOptions): Promise<RollupResult> {
  // The state row's lock makes concurrent runs (several instances) take turns. (008 inserts the row; a lost one comes back.)
  await tx.query('INSERT INTO analytics_rollup_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
  const [state] = await tx.query<StateRow>('SELECT watermark, rolled_until FROM analytics_rollup_state WHERE id = 1 FOR UPDATE');
  // Database time, read after the lock: the same clock as updated_at. Millisecond precision so JS dates hold it exactly.
  const [clock] = await tx.query<{ cutoff: Date | string }>(`SELECT date_trunc('milliseconds', clock_timestamp() - make_interval(secs => $1::float8)) AS cutoff`, [options.lagMs / 1000]);
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
    await tx.query('DELETE FROM analytics_hourly_report');
    await tx.query(insertReportSql('hour', 'analytics_hourly d'));
    await tx.query('DELETE FROM analytics_daily');
    const daily = await tx.query<{ n: number }>(`WITH ins AS (${insertDailySql('analytics_hourly h WHERE h.hour < $1')} RETURNING 1) SELECT count(*)::int AS n FROM ins`, [closedDay]);
    dailyRows = num(daily[0]?.n);
    await tx.query('DELETE FROM analytics_daily_report');
    await tx.query(insertReportSql('day', 'analytics_daily d'));
    await tx.query('DELETE FROM analytics_daily_values');
    await tx.query(insertDailyValuesSql('analytics_daily d'));
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
      for (const table of ['analytics_hourly', 'analytics_hourly_report']) {
        await tx.query(`DELETE FROM ${table} h USING ${PAIRS('hour')} WHERE h.merchant_id = k.merchant_id AND h.hour = k.hour`, [merchants, hourStarts]);
      }
      const inserted = await tx.query<{ n: number }>(
        // One index range scan per (merchant, hour): OFFSET 0 keeps the planner from flattening the
        // LATERAL into a join that hashes the pairs and scans the whole table (one merchant = no selectivity).
        `WITH ins AS (${insertHourlySql(`${PAIRS('hour')} CROSS JOIN LATERAL (SELECT * FROM txns x WHERE x.merchant_id = k.merchant_id AND x.created_at >= k.hour AND x.created_at < k.hour + interval '1 hour' OFFSET 0) t`)} RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [merchants, hourStarts],
      );
      hourlyRows = num(inserted[0]?.n);
      const rebuiltHours = `${PAIRS('hour')} CROSS JOIN LATERAL (SELECT * FROM analytics_hourly x WHERE x.merchant_id = k.merchant_id AND x.hour = k.hour OFFSET 0) d`;
      await tx.query(insertReportSql('hour', rebuiltHours), [merchants, hourStarts]);
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
      for (const table of ['analytics_daily', 'analytics_daily_report', 'analytics_daily_values']) {
        await tx.query(`DELETE FROM ${table} d USING ${PAIRS('day')} WHERE d.merchant_id = k.merchant_id AND d.day = k.day`, params);
      }
      const inserted = await tx.query<{ n: number }>(
        `WITH ins AS (${insertDailySql(`${PAIRS('day')} CROSS JOIN LATERAL (SELECT * FROM analytics_hourly x WHERE x.merchant_id = k.merchant_id AND x.hour >= k.day AND x.hour < k.day + interval '24 hours' OFFSET 0) h`)} RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        params,
      );
      dailyRows = num(inserted[0]?.n);
      // The same days at the report's grain, from the rows just written.
      const rebuiltDays = `${PAIRS('day')} CROSS JOIN LATERAL (SELECT * FROM analytics_daily x WHERE x.merchant_id = k.merchant_id AND x.day = k.day OFFSET 0) d`;
      await tx.query(insertReportSql('day', rebuiltDays), params);
      await tx.query(insertDailyValuesSql(rebuiltDays), params);
      days = keys.length;
    }
  }
  await tx.query('UPDATE analytics_rollup_state SET watermark = $1, rolled_until = $2, updated_at = now() WHERE id = 1', [cutoff, closed]);
  return { hours, days, hourlyRows, dailyRows, watermark: cutoff, rolledUntil: closed, full };
}
