// The report-grain rollup tables (migration 024) answer exactly what the full rollup answers:
// for random transactions, every aggregate of rolled-up hours and days read through the store
// (analytics_hourly_report, analytics_daily_report, analytics_daily_values) equals the same
// aggregate computed from analytics_hourly / analytics_daily, unfiltered and filtered by gateway
// or logic. On PGlite, and on PostgreSQL when DATABASE_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { DAY_MS, floorTo, HOUR_MS } from '../core/analytics/time-plan.ts';
import { DEFAULT_ORDER_LOGIC_ID, type AnalyticsAggregate, type AnalyticsBucket, type AnalyticsFilters, type FilterValues, type SourcePart } from '../core/analytics/types.ts';
import { aggregateFromRows, aggregateSql, baseQuery, SHAPES, type AggregateRow } from './analytics-aggregate-sql.ts';
import { createAnalyticsStore } from './analytics-repository.ts';
import type { Db, SqlParam } from './db.ts';
import { migratedTestDatabases } from './test-databases.ts';

const MERCHANT = 'm_report';
const GATEWAYS = ['GW_A', 'GW_B', null] as const;
const LOGICS = ['pl_one', 'pl_two', null] as const;

const txnArb = fc.record({
  hoursAgo: fc.integer({ min: 2, max: 70 }),
  minute: fc.integer({ min: 0, max: 59 }),
  status: fc.constantFrom('CHARGED', 'AUTHORIZED', 'AUTHORIZATION_FAILED', 'PENDING_VBV', 'AUTHENTICATION_FAILED'),
  attempt: fc.integer({ min: 1, max: 3 }),
  amount: fc.integer({ min: 1, max: 10_000_000 }),
  currency: fc.constantFrom('INR', 'USD'),
  paymentMethodType: fc.constantFrom('CARD', 'UPI', 'WALLET'),
  cardBrand: fc.constantFrom('VISA', 'MASTERCARD', null),
  gateway: fc.constantFrom(...GATEWAYS),
  logic: fc.constantFrom(...LOGICS),
  error: fc.constantFrom(null, ['INSUFFICIENT_FUNDS', 'PAYMENT_FAILURE'] as const, ['GATEWAY_TIMEOUT', 'TECHNICAL'] as const),
  latencyMs: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
});
type Txn = typeof txnArb extends fc.Arbitrary<infer T> ? T : never;

async function insertTxns(db: Db, txns: readonly Txn[], now: number): Promise<void> {
  await db.query('DELETE FROM txns');
  await db.query('DELETE FROM orders');
  let n = 0;
  for (const t of txns) {
    const id = `t${++n}`;
    const createdAt = new Date(floorTo(new Date(now - t.hoursAgo * HOUR_MS), HOUR_MS).getTime() + t.minute * 60_000);
    await db.query(`INSERT INTO orders (id, merchant_id, order_id, amount, currency, status) VALUES ($1, $2, $1, $3, $4, 'NEW')`, [`o${n}`, MERCHANT, t.amount, t.currency]);
    await db.query(
      `INSERT INTO txns (id, merchant_id, order_pk, txn_id, attempt, status, amount, currency, payment_method_type, payment_method, gateway, card,
                         error_code, error_category, routing_decision, latency_ms, created_at, updated_at)
       VALUES ($1, $2, $3, $1, $4, $5, $6, $7, $8, 'X', $9, $10, $11, $12, $13, $14, $15, $15)`,
      [
        id,
        MERCHANT,
        `o${n}`,
        t.attempt,
        t.status,
        t.amount,
        t.currency,
        t.paymentMethodType,
        t.gateway,
        t.cardBrand === null ? null : JSON.stringify({ card_brand: t.cardBrand }),
        t.error?.[0] ?? null,
        t.error?.[1] ?? null,
        t.logic === null ? null : JSON.stringify({ logic: { id: t.logic } }),
        t.latencyMs,
        createdAt,
      ],
    );
  }
}

/** The aggregate of a part from the full rollup table, whatever the filters (what the store read before migration 024). */
async function fromFullRollup(db: Db, part: SourcePart, bucket: AnalyticsBucket, filters: AnalyticsFilters): Promise<AnalyticsAggregate> {
  const params: SqlParam[] = [];
  return aggregateFromRows(await db.query<AggregateRow>(aggregateSql(SHAPES[part.source], params, MERCHANT, part, bucket, filters), params));
}

async function valuesFromFullRollup(db: Db, part: SourcePart): Promise<FilterValues> {
  const params: SqlParam[] = [];
  const rows = await db.query<Record<'payment_method_type' | 'card_brand' | 'gateway' | 'logic_id', string>>(
    `SELECT DISTINCT payment_method_type, card_brand, gateway, logic_id FROM (${baseQuery(SHAPES[part.source], params, MERCHANT, part, null)}) b`,
    params,
  );
  const distinct = (key: keyof (typeof rows)[number]) => [...new Set(rows.map((r) => r[key]).filter((v) => v !== ''))].sort();
  return { paymentMethodTypes: distinct('payment_method_type'), cardBrands: distinct('card_brand'), gateways: distinct('gateway'), logicIds: distinct('logic_id') };
}

/** Order-free form of an aggregate (the store returns its rows in whatever order the database gives). */
function canonical(a: AnalyticsAggregate): unknown {
  const by = <T>(rows: readonly T[], key: (r: T) => string) => [...rows].sort((x, y) => key(x).localeCompare(key(y)));
  return {
    series: by(a.series, (s) => `${s.t.toISOString()}|${s.gateway}`),
    gateways: by(a.gateways, (g) => g.gateway),
    failures: by(a.failures, (f) => `${f.errorCode}|${f.category}`),
    logics: by(a.logics, (l) => l.logicId),
    amounts: by(a.amounts, (m) => m.currency),
    totals: a.totals,
  };
}

for (const database of migratedTestDatabases('test_report_grain')) {
  describe(`analytics report-grain tables (${database.name})`, () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await database.open());
      await db.query(`INSERT INTO merchants (id, name, response_key_enc, webhook_hmac_key_enc) VALUES ($1, $1, 'x', 'x')`, [MERCHANT]);
    });
    after(async () => {
      await cleanup();
    });

    test('every rolled-up aggregate and picker list equals the full rollup’s, for random transactions', async () => {
      const store = createAnalyticsStore(db);
      await fc.assert(
        fc.asyncProperty(fc.array(txnArb, { minLength: 1, maxLength: 40 }), async (txns) => {
          const now = Date.now();
          await insertTxns(db, txns, now);
          await store.rollup({ lagMs: 0, full: true });
          const closedHour = floorTo(new Date(now), HOUR_MS);
          const closedDay = floorTo(new Date(now), DAY_MS);
          const start = floorTo(new Date(now - 4 * DAY_MS), DAY_MS);
          const parts: Array<[SourcePart, AnalyticsBucket]> = [
            [{ source: 'daily', from: start, to: closedDay }, 'day'],
            [{ source: 'hourly', from: start, to: closedHour }, 'hour'],
            [{ source: 'hourly', from: start, to: closedHour }, 'day'],
          ];
          for (const [part, bucket] of parts) {
            for (const filters of [{}, { gateway: 'GW_A' }, { gateway: '' }, { logicId: 'pl_two' }, { gateway: 'GW_B', logicId: DEFAULT_ORDER_LOGIC_ID }] satisfies AnalyticsFilters[]) {
              const ours = canonical(await store.aggregate(MERCHANT, part, bucket, filters));
              assert.deepEqual(ours, canonical(await fromFullRollup(db, part, bucket, filters)), `${part.source} by ${bucket}, filters ${JSON.stringify(filters)}`);
            }
            assert.deepEqual(await store.filterValues(MERCHANT, part), await valuesFromFullRollup(db, part), `${part.source} picker values`);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
}
