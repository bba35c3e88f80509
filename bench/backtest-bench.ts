// The backtest at production scale, on PostgreSQL (issue 17, item 1: 1,000,000 payments in under
// 60 s on this machine): a fresh database, one merchant, 1,000,000 orders and their first attempts
// over 30 days on four gateways, seeded in SQL (INSERT ... SELECT generate_series), routed by a live
// 40/30/20/10 volume split whose decision records are shaped as the engine writes them. Then:
// after a CHECKPOINT (the seed's writes flushed), two rounds of
//  - the baseline: the same payments read through the backtest's own store, page by page, and
//    nothing else (what streaming the rows costs); then
//  - the backtest of a rule-based draft (VISA to SIM_ALPHA, MASTERCARD to SIM_GAMMA, the rest to
//    SIM_BETA) over the same window, through the service as the API runs it (job row, progress).
// Prints payments/s, seconds, the ratio to the baseline and the report's headline figures. The
// database is dropped at the end. `npm run bench:backtest` (needs DATABASE_URL; without it the
// bench says so and exits 0). BENCH_PAYMENTS shrinks it; BENCH_PAGE_SIZE sets the baseline's page size (the service reads 2,000);
// BENCH_KEEP_DATABASE=1 keeps the seeded database (its name is printed) for EXPLAIN sessions, and
// BENCH_DATABASE=<that name> runs again on it without seeding (and keeps it).
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { buildApp, type Junction } from '../src/app.ts';
import { admin, benchAppConfig, benchDatabaseUrl, createBenchDatabase, dropDatabase } from './bench-database.ts';
import type { Actor } from '../src/core/priority-logic/types.ts';
import { createBacktestStore } from '../src/storage/backtest-repository.ts';
import type { PaymentCursor } from '../src/core/ports/backtest-store.ts';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 2_000);
const MERCHANT = 'demo_merchant';
const TARGET_SECONDS = 60;

/** Orders and their first attempts: per payment one draw of time, method, brand, gateway (the split) and outcome. */
async function seed(client: pg.Client, split: { id: string; name: string }): Promise<void> {
  await client.query('SELECT setseed(0.1717)');
  await client.query(
    `
    CREATE TEMP TABLE bench_plan AS
    WITH draws AS (
      SELECT g, now() - interval '1 minute' - random() * interval '30 days' AS created_at, random() AS r_pm, random() AS r_brand, random() AS r_gw, random() AS r_ok,
             (500 + floor(random() * 99500))::bigint AS amount
        FROM generate_series(1, $1::int) g
    ), shaped AS (
      SELECT d.*,
        CASE WHEN r_pm < 0.60 THEN 'CARD' WHEN r_pm < 0.85 THEN 'UPI' WHEN r_pm < 0.95 THEN 'NB' ELSE 'WALLET' END AS pmt,
        CASE WHEN r_gw < 0.40 THEN 'SIM_ALPHA' WHEN r_gw < 0.70 THEN 'SIM_BETA' WHEN r_gw < 0.90 THEN 'SIM_GAMMA' ELSE 'SIM_DELTA' END AS gw,
        CASE WHEN r_brand < 0.5 THEN 'VISA' WHEN r_brand < 0.85 THEN 'MASTERCARD' WHEN r_brand < 0.95 THEN 'RUPAY' ELSE 'AMEX' END AS brand
      FROM draws d
    )
    SELECT s.*, r_ok < CASE gw WHEN 'SIM_ALPHA' THEN 0.93 WHEN 'SIM_BETA' THEN 0.90 WHEN 'SIM_GAMMA' THEN 0.87 ELSE 0.82 END AS ok FROM shaped s`,
    [PAYMENTS],
  );
  await client.query(`
    INSERT INTO orders (id, merchant_id, order_id, amount, currency, status, customer_id, udf, metadata, txn_count, last_txn_id, created_at, updated_at)
    SELECT 'ordeh_bt' || g, '${MERCHANT}', 'bt' || lpad(g::text, 8, '0'), amount, 'INR', CASE WHEN ok THEN 'CHARGED' ELSE 'AUTHORIZATION_FAILED' END,
           'cust_' || (g % 40000), jsonb_build_object('udf1', 'web'), '{}'::jsonb, 1, 'txn_bt' || g, created_at, created_at + interval '2 seconds'
      FROM bench_plan ORDER BY created_at`);
  const method = `CASE pmt WHEN 'CARD' THEN brand WHEN 'UPI' THEN 'UPI_COLLECT' WHEN 'NB' THEN 'NB_HDFC' ELSE 'PAYTM' END`;
  const card = `CASE WHEN pmt = 'CARD' THEN jsonb_build_object('card_isin', '411111', 'extended_card_isin', '41111111', 'last_four_digits', lpad((g % 10000)::text, 4, '0'),
                 'card_brand', brand, 'card_type', 'CREDIT', 'card_issuer', 'HDFC Bank', 'card_issuer_country', 'IN', 'expiry_month', '12', 'expiry_year', '2031',
                 'card_fingerprint', md5(g::text), 'saved_to_locker', false) END`;
  // The decision record as the engine writes it for a volume split (ranking off).
  const decision = `jsonb_build_object(
      'logic', jsonb_build_object('id', $1::text, 'name', $2::text, 'version', 1, 'kind', 'VOLUME', 'role', 'PRIMARY'),
      'primary', jsonb_build_object('name', $2::text, 'status', 'SUCCESS', 'failure_reason', 'NO_ERROR'),
      'evaluationStatus', 'VOLUME_SPLIT', 'producedList', jsonb_build_array(jsonb_build_object('gateway', gw)), 'enforced', false,
      'eligibilityDrops', '[]'::jsonb,
      'finalGateways', jsonb_build_array(jsonb_build_object('gateway', gw, 'gatewayReferenceId', NULL), jsonb_build_object('gateway', 'SIM_ALPHA', 'gatewayReferenceId', NULL)),
      'decidedGateway', gw, 'accountIds', jsonb_build_array(a.id),
      'ranking', jsonb_build_object('mode', 'OFF', 'applied', false, 'gateways', jsonb_build_array(jsonb_build_object('gateway', gw, 'account_id', a.id, 'label', 'DEFAULT'))))`;
  await client.query(
    `
    INSERT INTO txns (id, merchant_id, order_pk, txn_id, attempt, status, amount, currency, payment_method_type, payment_method, gateway, gateway_id,
                      gateway_account_id, card, upi, routing_decision, latency_ms, created_at, updated_at)
    SELECT 'txn_bt' || g, '${MERCHANT}', 'ordeh_bt' || g, '${MERCHANT}-bt' || lpad(g::text, 8, '0') || '-1', 1, CASE WHEN ok THEN 'CHARGED' ELSE 'AUTHORIZATION_FAILED' END,
           amount, 'INR', pmt, ${method}, gw, a.gateway_id, a.id, ${card},
           CASE WHEN pmt = 'UPI' THEN jsonb_build_object('txn_type', 'COLLECT', 'vpa', 'shopper@upi', 'app', NULL) END,
           ${decision}, 150, created_at, created_at + interval '1 second'
      FROM bench_plan p JOIN (SELECT gateway, id, gateway_id FROM gateway_accounts WHERE merchant_id = '${MERCHANT}') a ON a.gateway = p.gw
    ORDER BY created_at`,
    [split.id, split.name],
  );
  await client.query('DROP TABLE bench_plan');
  await client.query('VACUUM ANALYZE orders');
  await client.query('VACUUM ANALYZE txns');
}

export async function runBacktestBench(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.log('bench:backtest skipped: DATABASE_URL is not set (this benchmark seeds 1,000,000 payments into a fresh PostgreSQL database).');
    return;
  }
  const reuse = process.env.BENCH_DATABASE;
  if (reuse !== undefined && !/^junction_btbench_\d+$/.test(reuse)) throw new Error('BENCH_DATABASE must name a database this bench kept (junction_btbench_<pid>)');
  const name = reuse ?? `junction_btbench_${process.pid}`;
  if (!reuse) await createBenchDatabase(base, name);
  const url = benchDatabaseUrl(base, name);
  let j: Junction | null = null;
  try {
    j = await buildApp(benchAppConfig(url, { merchantId: MERCHANT, apiKey: 'bench_backtest_key_0001' }), { logger: false });
    const actor: Actor = { merchantId: MERCHANT, kind: 'API_KEY', id: 'bench', role: 'ADMIN' };
    const existing = reuse ? (await j.priorityLogic.list(actor, {})).logics : [];
    const split =
      existing.find((l) => l.name === 'Bench split 40/30/20/10') ??
      (await j.priorityLogic.create(actor, {
        name: 'Bench split 40/30/20/10',
        kind: 'VOLUME',
        defaultGateways: [{ gateway: 'SIM_ALPHA' }],
        definition: {
          splits: [
            { gateway: 'SIM_ALPHA', weight: 40 },
            { gateway: 'SIM_BETA', weight: 30 },
            { gateway: 'SIM_GAMMA', weight: 20 },
            { gateway: 'SIM_DELTA', weight: 10 },
          ],
        },
      }));
    if (!reuse) await j.priorityLogic.activate(actor, split.id, { version: split.rowVersion });
    const draft =
      existing.find((l) => l.name === 'Bench draft by brand') ??
      (await j.priorityLogic.create(actor, {
        name: 'Bench draft by brand',
        kind: 'RULES',
        defaultGateways: [{ gateway: 'SIM_BETA' }],
        definition: {
          rules: [
            { name: 'visa', condition: { dimension: 'card_brand', operator: 'equal', value: 'VISA' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_ALPHA' }] } },
            { name: 'mastercard', condition: { dimension: 'card_brand', operator: 'equal', value: 'MASTERCARD' }, output: { type: 'PRIORITY', gateways: [{ gateway: 'SIM_GAMMA' }] } },
          ],
        },
      }));
    const started = Date.now();
    if (!reuse) await admin(url, (c) => seed(c, { id: split.id, name: split.name }));
    const seedSeconds = (Date.now() - started) / 1000;
    const from = new Date(Date.now() - 31 * 86_400_000);
    const to = new Date();

    // The seed's dirty pages are written out before anything is timed.
    await admin(url, (c) => c.query('CHECKPOINT'));
    const loadBefore = loadavg();
    const store = createBacktestStore(j.db);
    const stream = async (): Promise<{ rows: number; seconds: number }> => {
      const started = Date.now();
      let cursor: PaymentCursor | null = null;
      let rows = 0;
      for (;;) {
        const page = await store.pagePayments(MERCHANT, { from, to }, cursor, PAGE_SIZE);
        rows += page.length;
        if (page.length < PAGE_SIZE) break;
        const last = page[page.length - 1]!;
        cursor = { at: last.cursorAt, id: last.id };
      }
      return { rows, seconds: (Date.now() - started) / 1000 };
    };
    const app = j;
    const backtest = async () => {
      const heapBefore = process.memoryUsage().heapUsed;
      let peakHeap = heapBefore;
      const started = Date.now();
      const job = await app.backtests.start(actor, draft.id, { from, to });
      const sampler = setInterval(() => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }, 250);
      await app.backtests.idle();
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      const done = await app.backtests.get(actor, job.id);
      if (done.status !== 'DONE' || !done.report) throw new Error(`backtest ${done.status}: ${done.error}`);
      return { seconds, done, report: done.report, heapBefore, peakHeap };
    };
    console.log(`Backtest benchmark on PostgreSQL (${new URL(base).host}), ${PAYMENTS.toLocaleString('en')} payments of one merchant over 30 days, page size ${PAGE_SIZE}:`);
    console.log(`  seed: ${reuse ? 'reused' : `${seedSeconds.toFixed(1)} s`}; load average before the runs ${loadBefore.map((x) => x.toFixed(1)).join(' ')} (${cpus().length} cores)`);
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    // Two rounds, each the baseline (the same rows streamed through the backtest's store, nothing
    // else done with them) and then the backtest as the API runs it.
    for (const round of [1, 2]) {
      const baseline = await stream();
      const run = await backtest();
      const r = run.report;
      console.log(
        `  round ${round}: baseline ${baseline.rows.toLocaleString('en')} rows in ${baseline.seconds.toFixed(1)} s = ${Math.round(baseline.rows / baseline.seconds).toLocaleString('en')} rows/s; ` +
          `backtest ${r.payments.toLocaleString('en')} payments in ${run.seconds.toFixed(1)} s = ${Math.round(r.payments / run.seconds).toLocaleString('en')} payments/s, ` +
          `${(run.seconds / baseline.seconds).toFixed(2)}x the baseline; target < ${TARGET_SECONDS} s: ${run.seconds < TARGET_SECONDS ? 'met' : 'NOT met'}; ` +
          `progress ${run.done.processed}/${run.done.total}; heap growth ${((run.peakHeap - run.heapBefore) / 1e6).toFixed(0)} MB; load average now ${loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
      );
      if (round === 2) {
        console.log(
          `  report: moved ${r.moved.toLocaleString('en')} (${pct(r.moved / r.payments)}), randomised ${r.randomised.toLocaleString('en')}; actual ${pct(r.totals.actualSuccessRate.estimate)}, draft ${pct(r.totals.draftSuccessRate.estimate)} [${pct(r.totals.draftSuccessRate.low)}, ${pct(r.totals.draftSuccessRate.high)}], difference ${pct(r.totals.difference.estimate)} [${pct(r.totals.difference.low)}, ${pct(r.totals.difference.high)}]; supported ${r.totals.supported}, model only ${r.totals.modelOnly}, extrapolated ${r.totals.extrapolated}`,
        );
      }
    }
  } finally {
    if (j) await j.close();
    if (process.env.BENCH_KEEP_DATABASE === '1' || reuse) console.log(`  kept database ${name}`);
    else await dropDatabase(base, name);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runBacktestBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
