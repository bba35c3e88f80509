// The dashboard's reads at production scale, on PostgreSQL: a fresh database with 1,000 Priority
// Logics and 1,000,000 payments (orders and their attempts, fallbacks included) over 30 days on
// four gateways; the analytics rollup backfilled and timed; then every dashboard interaction
// measured through the app (app.inject: routing, auth, validation, SQL, serialisation) 60 times,
// beside GET /health through the same path as the baseline. The database is dropped at the end.
// `npm run bench:dashboard` (needs DATABASE_URL; without it the bench says so and exits 0).
// BENCH_PAYMENTS and BENCH_ITERATIONS shrink it for a quick look; BENCH_KEEP_DATABASE=1 keeps the
// seeded database (its name is printed) for EXPLAIN sessions.
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { buildApp, type Junction } from '../src/app.ts';
import { admin, benchAppConfig, benchDatabaseUrl, createBenchDatabase, dropDatabase } from './bench-database.ts';
import type { Actor } from '../src/core/priority-logic/types.ts';
import { formatTable } from './payment-bench.ts';
import { bundleSize, runBrowserBench, type BrowserBenchRow, type BundleSize } from './dashboard-browser-bench.ts';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 1_000_000);
const LOGICS = 1_000;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
const WARMUP = 5;
const TARGET_MS = 100;
const MERCHANT = 'demo_merchant';
const ADMIN_TOKEN = 'bench_dashboard_admin_token_0001';

interface Interaction {
  name: string;
  url: (i: number) => string;
  auth?: boolean;
}

export interface DashboardBenchRow {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  over: number;
  ratio: number;
}

export interface DashboardBenchResult {
  payments: number;
  txns: number;
  logics: number;
  seedSeconds: number;
  backfill: { seconds: number; hourlyRows: number; dailyRows: number };
  incremental: { seconds: number; hours: number; touched: number };
  rows: DashboardBenchRow[];
  /** The same data through the dashboard in headless Chromium, or why not. */
  browser: BrowserBenchRow[] | { skipped: string };
  bundle: BundleSize | null;
}

/** 1,000 logics: one made by the service (a valid definition), 999 copies of it by SQL. */
async function seedLogics(j: Junction): Promise<{ a: { id: string; name: string }; b: { id: string; name: string } }> {
  const actor: Actor = { merchantId: MERCHANT, kind: 'API_KEY', id: 'bench', role: 'ADMIN' };
  const first = await j.priorityLogic.create(actor, { name: 'Bench logic 0001', kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_ALPHA' }, { gateway: 'SIM_BETA' }, { gateway: 'SIM_GAMMA' }] });
  await j.db.query(
    `INSERT INTO priority_logics (id, merchant_id, name, description, kind, version, definition, status, created_by, created_at, updated_at)
     SELECT 'pl_bench' || lpad(g::text, 5, '0'), merchant_id, 'Bench logic ' || lpad(g::text, 4, '0'), 'Seeded copy ' || g, kind, 1, definition,
            'INACTIVE', created_by, now() - g * interval '37 minutes', now() - g * interval '11 minutes'
       FROM priority_logics, generate_series(2, $2::int) g WHERE id = $1`,
    [first.id, LOGICS],
  );
  await j.priorityLogic.activate(actor, first.id, { version: first.rowVersion });
  return { a: { id: first.id, name: first.name }, b: { id: 'pl_bench00002', name: 'Bench logic 0002' } };
}

/** The two logics of a kept database's seed. */
async function seededLogics(j: Junction): Promise<{ a: { id: string; name: string }; b: { id: string; name: string } }> {
  const rows = await j.db.query<{ id: string; name: string }>(`SELECT id, name FROM priority_logics WHERE merchant_id = $1 AND status = 'ACTIVE' ORDER BY created_at LIMIT 1`, [MERCHANT]);
  if (!rows[0]) throw new Error('BENCH_DATABASE: no active logic, not a database of this bench');
  return { a: rows[0], b: { id: 'pl_bench00002', name: 'Bench logic 0002' } };
}

/**
 * Payments in SQL: per order one draw of time (uniform over 30 days), payment method, card
 * brand, gateway, logic and outcome; a technical error or gateway outage falls back to the next
 * gateway as a second attempt. Success rates, failure mix and latencies differ per gateway.
 */
async function seedPayments(client: pg.Client, logics: { a: { id: string; name: string }; b: { id: string; name: string } }): Promise<void> {
  await client.query('SELECT setseed(0.4242)');
  await client.query(
    `
    CREATE TEMP TABLE bench_plan AS
    WITH draws AS (
      SELECT g, now() - random() * interval '30 days' AS created_at, random() AS r_pm, random() AS r_brand, random() AS r_gw, random() AS r_ok1,
             random() AS r_kind, random() AS r_ok2, random() AS r_logic, random() AS r_lat, random() AS r_tail,
             (500 + floor(random() * 99500))::bigint AS amount
        FROM generate_series(1, $1::int) g
    ), shaped AS (
      SELECT d.*,
        CASE WHEN r_pm < 0.60 THEN 'CARD' WHEN r_pm < 0.85 THEN 'UPI' WHEN r_pm < 0.95 THEN 'NB' ELSE 'WALLET' END AS pmt,
        CASE WHEN r_gw < 0.40 THEN 'SIM_ALPHA' WHEN r_gw < 0.65 THEN 'SIM_BETA' WHEN r_gw < 0.85 THEN 'SIM_GAMMA' ELSE 'SIM_DELTA' END AS gw_drawn
      FROM draws d
    ), routed AS (
      SELECT s.*,
        CASE WHEN pmt = 'UPI' AND gw_drawn = 'SIM_DELTA' THEN 'SIM_ALPHA' ELSE gw_drawn END AS gw1,
        CASE WHEN pmt = 'CARD' THEN CASE WHEN r_brand < 0.5 THEN 'VISA' WHEN r_brand < 0.85 THEN 'MASTERCARD' WHEN r_brand < 0.95 THEN 'RUPAY' ELSE 'AMEX' END END AS brand,
        CASE WHEN r_logic < 0.7 THEN 'A' WHEN r_logic < 0.9 THEN 'B' ELSE 'D' END AS logic_slot
      FROM shaped s
    ), outcome AS (
      SELECT r.*,
        CASE gw1 WHEN 'SIM_ALPHA' THEN 0.93 WHEN 'SIM_BETA' THEN 0.90 WHEN 'SIM_GAMMA' THEN 0.87 ELSE 0.82 END AS sr1,
        CASE gw1 WHEN 'SIM_ALPHA' THEN 'SIM_BETA' WHEN 'SIM_BETA' THEN 'SIM_GAMMA' ELSE 'SIM_ALPHA' END AS gw2,
        CASE gw1 WHEN 'SIM_ALPHA' THEN 110 WHEN 'SIM_BETA' THEN 170 WHEN 'SIM_GAMMA' THEN 140 ELSE 900 END AS lat_base
      FROM routed r
    )
    SELECT x.*, result1 IN ('GATEWAY_TECHNICAL_ERROR', 'GATEWAY_DOWN') AS has2, r_ok2 < 0.92 AS ok2 FROM (
    SELECT o.*,
      CASE WHEN r_ok1 < sr1 THEN 'OK'
           WHEN r_kind < 0.24 THEN 'INSUFFICIENT_FUNDS' WHEN r_kind < 0.32 THEN 'LIMIT_EXCEEDED' WHEN r_kind < 0.40 THEN 'RESTRICTED_CARD'
           WHEN r_kind < 0.62 THEN 'DO_NOT_HONOUR' WHEN r_kind < 0.67 THEN 'ISSUER_UNAVAILABLE' WHEN r_kind < 0.82 THEN 'GATEWAY_TECHNICAL_ERROR'
           WHEN r_kind < 0.88 THEN 'GATEWAY_DOWN' WHEN r_kind < 0.97 THEN 'AUTHENTICATION_FAILED' ELSE 'PENDING' END AS result1
    FROM outcome o) x`,
    [PAYMENTS],
  );
  // Unified error -> (category, raw gateway code, raw message), as the simulator's status table has them.
  await client.query(`
    CREATE TEMP TABLE bench_errors (code text PRIMARY KEY, category text, raw text, message text);
    INSERT INTO bench_errors VALUES
      ('INSUFFICIENT_FUNDS', 'PAYMENT_FAILURE', '51', 'Insufficient funds'), ('LIMIT_EXCEEDED', 'PAYMENT_FAILURE', '61', 'Exceeds withdrawal limit'),
      ('RESTRICTED_CARD', 'BUSINESS_ERROR', '62', 'Restricted card'), ('DO_NOT_HONOUR', 'PAYMENT_FAILURE', '05', 'Do not honour'),
      ('ISSUER_UNAVAILABLE', 'GATEWAY_ERROR', '91', 'Issuer unavailable'), ('GATEWAY_TECHNICAL_ERROR', 'TECHNICAL_ERROR', '96', 'System malfunction'),
      ('GATEWAY_DOWN', 'GATEWAY_ERROR', 'GW_DOWN', 'Gateway unavailable'), ('AUTHENTICATION_FAILED', 'USER_ERROR', 'AUTH_FAIL', 'Authentication failed')`);
  const status1 = `CASE result1 WHEN 'OK' THEN 'CHARGED' WHEN 'AUTHENTICATION_FAILED' THEN 'AUTHENTICATION_FAILED' WHEN 'PENDING' THEN CASE WHEN pmt = 'CARD' THEN 'PENDING_VBV' ELSE 'AUTHORIZING' END ELSE 'AUTHORIZATION_FAILED' END`;
  const status2 = `CASE WHEN ok2 THEN 'CHARGED' ELSE 'AUTHORIZATION_FAILED' END`;
  await client.query(`
    INSERT INTO orders (id, merchant_id, order_id, amount, currency, status, customer_id, customer_email, txn_count, charged_txn_id, last_txn_id, created_at, updated_at)
    SELECT 'ordeh_bench' || g, '${MERCHANT}', 'ord' || lpad(g::text, 8, '0'), amount, 'INR',
           CASE WHEN has2 THEN ${status2} ELSE ${status1} END,
           'cust_' || (g % 40000), 'shopper' || (g % 40000) || '@example.com', CASE WHEN has2 THEN 2 ELSE 1 END,
           CASE WHEN has2 AND ok2 THEN 'txn_bench' || g || '_2' WHEN result1 = 'OK' THEN 'txn_bench' || g || '_1' END,
           'txn_bench' || g || CASE WHEN has2 THEN '_2' ELSE '_1' END,
           created_at, created_at + interval '2 seconds'
      FROM bench_plan ORDER BY created_at`);
  const decision = (gateway: string, extra: string) => `
    CASE logic_slot
      WHEN 'D' THEN jsonb_build_object('logic', jsonb_build_object('name', 'DEFAULT_ORDER', 'kind', 'DEFAULT', 'role', 'DEFAULT_GATEWAYS'),
                    'final_gateways', jsonb_build_array(gw1, gw2), 'decided_gateway', ${gateway}, 'evaluation_status', 'SUCCESS')
      ELSE jsonb_build_object('logic', jsonb_build_object('id', CASE logic_slot WHEN 'A' THEN $1 ELSE $3 END, 'name', CASE logic_slot WHEN 'A' THEN $2 ELSE $4 END,
                    'version', 1, 'kind', 'DEFAULT', 'role', 'PRIMARY'), 'enforced', false,
                    'finalGateways', jsonb_build_array(jsonb_build_object('gateway', gw1), jsonb_build_object('gateway', gw2)), 'decidedGateway', ${gateway})
    END ${extra}`;
  const card = `CASE WHEN pmt = 'CARD' THEN jsonb_build_object('card_isin', '411111', 'last_four_digits', lpad((g % 10000)::text, 4, '0'), 'card_brand', brand, 'card_type', 'CREDIT', 'card_issuer', 'HDFC Bank') END`;
  const method = `CASE pmt WHEN 'CARD' THEN brand WHEN 'UPI' THEN 'UPI' WHEN 'NB' THEN 'NB_HDFC' ELSE 'PAYTM' END`;
  const accounts = `(SELECT gateway, id, gateway_id FROM gateway_accounts WHERE merchant_id = '${MERCHANT}')`;
  // Rows land in time order, as a live system writes them (the table's physical order follows created_at).
  await client.query(
    `
    INSERT INTO txns (id, merchant_id, order_pk, txn_id, attempt, status, amount, currency, payment_method_type, payment_method, gateway, gateway_id,
                      gateway_account_id, card, error_code, error_message, error_category, gateway_code, gateway_message, routing_decision, latency_ms, created_at, updated_at)
    SELECT 'txn_bench' || g || '_1', '${MERCHANT}', 'ordeh_bench' || g, '${MERCHANT}-ord' || lpad(g::text, 8, '0') || '-1', 1, ${status1}, amount, 'INR', pmt, ${method},
           gw1, a.gateway_id, a.id, ${card}, e.code, e.message, e.category, coalesce(e.raw, CASE WHEN result1 = 'OK' THEN '00' END), coalesce(e.message, CASE WHEN result1 = 'OK' THEN 'Approved' END),
           ${decision('gw1', '')},
           CASE WHEN result1 = 'PENDING' THEN NULL WHEN result1 = 'GATEWAY_DOWN' THEN 3 + floor(r_lat * 20) ELSE floor(lat_base * (0.5 + r_lat) + CASE WHEN r_tail > 0.98 THEN (r_tail - 0.98) * 150000 ELSE 0 END) END,
           created_at, created_at + interval '1 second'
      FROM bench_plan p JOIN ${accounts} a ON a.gateway = p.gw1 LEFT JOIN bench_errors e ON e.code = p.result1
    UNION ALL
    SELECT 'txn_bench' || g || '_2', '${MERCHANT}', 'ordeh_bench' || g, '${MERCHANT}-ord' || lpad(g::text, 8, '0') || '-2', 2, ${status2}, amount, 'INR', pmt, ${method},
           gw2, a.gateway_id, a.id, ${card}, CASE WHEN ok2 THEN NULL ELSE 'INSUFFICIENT_FUNDS' END, CASE WHEN ok2 THEN NULL ELSE 'Insufficient funds' END,
           CASE WHEN ok2 THEN NULL ELSE 'PAYMENT_FAILURE' END, CASE WHEN ok2 THEN '00' ELSE '51' END, CASE WHEN ok2 THEN 'Approved' ELSE 'Insufficient funds' END,
           ${decision('gw2', "|| jsonb_build_object('fallback_attempt', 1, 'previous_attempts', jsonb_build_array(jsonb_build_object('gateway', gw1, 'unified', result1, 'retryable', true)))")},
           floor(150 * (0.5 + r_tail)), created_at + interval '1 second', created_at + interval '2 seconds'
      FROM bench_plan p JOIN ${accounts} a ON a.gateway = p.gw2 WHERE has2
    ORDER BY created_at`,
    [logics.a.id, logics.a.name, logics.b.id, logics.b.name],
  );
  await client.query('DROP TABLE bench_plan');
  await client.query('VACUUM ANALYZE orders');
  await client.query('VACUUM ANALYZE txns');
  await client.query('VACUUM ANALYZE priority_logics');
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function measure(j: Junction, interaction: Interaction): Promise<Omit<DashboardBenchRow, 'ratio'>> {
  const headers = interaction.auth === false ? {} : { authorization: `Bearer ${ADMIN_TOKEN}` };
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const url = interaction.url(i);
    const started = process.hrtime.bigint();
    const response = await j.app.inject({ method: 'GET', url, headers });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.statusCode !== 200) throw new Error(`${interaction.name}: GET ${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
    if (i >= WARMUP) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { name: interaction.name, n: times.length, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), over: times.filter((t) => t > TARGET_MS).length };
}

function interactions(logicA: string, firstCursor: string): Interaction[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const ago = (days: number) => `from=${iso(Date.now() - days * 86_400_000)}`;
  const orderNo = (i: number) => String(1 + ((i * 7919) % PAYMENTS)).padStart(8, '0');
  return [
    { name: 'GET /health (baseline)', url: () => '/health', auth: false },
    { name: 'PL list, default', url: () => '/v1/priority-logics' },
    { name: 'PL list, search by name', url: (i) => `/v1/priority-logics?search=${encodeURIComponent(`logic 0${String(i % 100).padStart(2, '0')}`)}` },
    { name: 'PL list, sort by name', url: () => '/v1/priority-logics?sort=name&order=asc' },
    { name: 'PL list, status INACTIVE', url: () => '/v1/priority-logics?status=INACTIVE&sort=updated' },
    { name: 'PL metrics (24 h)', url: () => '/v1/priority-logics/metrics' },
    { name: 'analytics 24 h', url: () => '/v1/dashboard/analytics' },
    { name: 'analytics 24 h, gateway filter', url: () => '/v1/dashboard/analytics?gateway=SIM_BETA' },
    { name: 'analytics 7 d', url: () => `/v1/dashboard/analytics?${ago(7)}` },
    { name: 'analytics 7 d, card brand filter', url: () => `/v1/dashboard/analytics?${ago(7)}&card_brand=VISA` },
    { name: 'analytics 30 d', url: () => `/v1/dashboard/analytics?${ago(30)}` },
    { name: 'analytics 30 d, logic filter', url: () => `/v1/dashboard/analytics?${ago(30)}&logic_id=${logicA}` },
    { name: 'live view (300 s)', url: () => '/v1/dashboard/live' },
    { name: 'orders, newest', url: () => '/v1/dashboard/orders' },
    { name: 'orders, next page', url: () => `/v1/dashboard/orders?cursor=${firstCursor}` },
    { name: 'orders, order id prefix', url: (i) => `/v1/dashboard/orders?search=ord${orderNo(i).slice(0, 6)}` },
    { name: 'orders, email prefix', url: (i) => `/v1/dashboard/orders?search=shopper${(i * 131) % 40000}@` },
    { name: 'orders, status AUTHORIZATION_FAILED', url: () => '/v1/dashboard/orders?status=AUTHORIZATION_FAILED' },
    { name: 'orders, status PENDING_VBV (rare)', url: () => '/v1/dashboard/orders?status=PENDING_VBV' },
    { name: 'order detail', url: (i) => `/v1/dashboard/orders/ord${orderNo(i)}` },
    { name: 'gateways list', url: () => '/v1/dashboard/gateways' },
  ];
}

export async function runDashboardBench(): Promise<DashboardBenchResult | { skipped: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) return { skipped: 'DATABASE_URL is not set: this benchmark seeds 1,000,000 payments into a fresh PostgreSQL database (PGlite is not its target)' };
  // BENCH_DATABASE=<a database this bench kept with BENCH_KEEP_DATABASE=1>: measured again without seeding it.
  const reuse = process.env.BENCH_DATABASE;
  if (reuse !== undefined && !/^junction_bench_\d+$/.test(reuse)) throw new Error('BENCH_DATABASE must name a database this bench kept (junction_bench_<pid>)');
  const name = reuse ?? `junction_bench_${process.pid}`;
  if (!reuse) await createBenchDatabase(base, name);
  const url = benchDatabaseUrl(base, name);
  let j: Junction | null = null;
  try {
    j = await buildApp(benchAppConfig(url, { merchantId: MERCHANT, apiKey: 'bench_dashboard_key_0001', adminToken: ADMIN_TOKEN }), { logger: false });
    const seedStarted = Date.now();
    const logics = reuse ? await seededLogics(j) : await seedLogics(j);
    if (!reuse) await admin(url, (c) => seedPayments(c, logics));
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const [{ n: txns }] = (await j.db.query<{ n: number }>('SELECT count(*)::int AS n FROM txns')) as [{ n: number }];

    let started = Date.now();
    const backfill = await j.analyticsRollup.backfill({ lagMs: 0 });
    const backfillSeconds = (Date.now() - started) / 1000;
    await admin(url, async (c) => {
      await c.query('VACUUM ANALYZE analytics_hourly');
      await c.query('VACUUM ANALYZE analytics_daily');
      await c.query('VACUUM ANALYZE analytics_hourly_report');
      await c.query('VACUUM ANALYZE analytics_daily_report');
      await c.query('VACUUM ANALYZE analytics_daily_values');
    });
    // An incremental run after late changes: 2,000 attempts of the last day settle again.
    await j.db.query(`UPDATE txns SET updated_at = now() WHERE id IN (SELECT id FROM txns WHERE merchant_id = $1 AND created_at > now() - interval '1 day' ORDER BY id LIMIT 2000)`, [MERCHANT]);
    started = Date.now();
    const incremental = await j.analyticsRollup.runOnce({ lagMs: 0 });
    const incrementalSeconds = (Date.now() - started) / 1000;

    const first = await j.app.inject({ method: 'GET', url: '/v1/dashboard/orders', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const cursor = (first.json() as { next_cursor: string }).next_cursor;
    const measured: Array<Omit<DashboardBenchRow, 'ratio'>> = [];
    for (const interaction of interactions(logics.a.id, cursor)) measured.push(await measure(j, interaction));
    const baseline = measured[0]!.p50;

    // The same through the dashboard in a real browser: sign in as the admin, time each interaction.
    const password = 'bench-dashboard-password';
    const adminUser = (await j.users.listUsers(MERCHANT)).find((u) => u.role === 'ADMIN');
    if (adminUser) await j.sessions.setPassword(MERCHANT, adminUser.id, password);
    await j.app.listen({ port: 0, host: '127.0.0.1' });
    const address = j.app.server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    const browser = adminUser
      ? await runBrowserBench(j, `http://127.0.0.1:${port}`, adminUser.email, password).catch((error: unknown) => ({ skipped: `failed: ${(error as Error).message.split('\n')[0]}` }))
      : { skipped: 'no admin user' };
    return {
      browser,
      bundle: bundleSize(),
      payments: PAYMENTS,
      txns,
      logics: LOGICS,
      seedSeconds,
      backfill: { seconds: backfillSeconds, hourlyRows: backfill.hourlyRows, dailyRows: backfill.dailyRows },
      incremental: { seconds: incrementalSeconds, hours: incremental.hours, touched: 2000 },
      rows: measured.map((m) => ({ ...m, ratio: m.p50 / baseline })),
    };
  } catch (error) {
    console.error('dashboard bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    throw error;
  } finally {
    if (j) await j.close();
    if (process.env.BENCH_KEEP_DATABASE === '1' || reuse) console.log(`kept database ${name}`);
    else await dropDatabase(base, name);
  }
}

export function formatDashboardBench(result: DashboardBenchResult | { skipped: string }): string {
  if ('skipped' in result) return `skipped: ${result.skipped}`;
  const f = (n: number) => n.toFixed(n < 10 ? 2 : 1);
  const table = formatTable(
    ['interaction', 'n', 'p50 ms', 'p95 ms', 'p99 ms', `> ${TARGET_MS} ms`, 'p50 / health'],
    result.rows.map((r) => [r.name, String(r.n), f(r.p50), f(r.p95), f(r.p99), String(r.over), `${r.ratio.toFixed(1)}x`]),
  );
  return [
    `PostgreSQL, ${result.payments.toLocaleString('en')} payments (${result.txns.toLocaleString('en')} attempts) over 30 days on 4 gateways, ${result.logics} Priority Logics; seeded in ${result.seedSeconds.toFixed(0)} s`,
    `rollup backfill: ${result.backfill.seconds.toFixed(1)} s -> ${result.backfill.hourlyRows.toLocaleString('en')} hourly rows, ${result.backfill.dailyRows.toLocaleString('en')} daily rows`,
    `incremental run after ${result.incremental.touched} late updates: ${result.incremental.seconds.toFixed(2)} s (${result.incremental.hours} merchant-hours rebuilt)`,
    `each interaction ${ITERATIONS} times after ${WARMUP} warm-up calls, through app.inject with a user token (auth, validation, SQL, serialisation)`,
    '',
    table,
    '',
    ...formatBrowser(result.browser, result.bundle),
  ].join('\n');
}

function formatBrowser(browser: DashboardBenchResult['browser'], bundle: BundleSize | null): string[] {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const lines = [
    bundle
      ? `dashboard first load: ${kb(bundle.firstLoadJsGzip)} of gzip JavaScript (+ ${kb(bundle.firstLoadCssGzip)} CSS; goal under 1 MB); all chunks together ${kb(bundle.allJsGzip)}`
      : 'dashboard not built: no bundle size',
  ];
  if ('skipped' in browser) return [...lines, `browser interactions skipped: ${browser.skipped}`];
  const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
  return [
    ...lines,
    'interactions in headless Chromium, timed in the page from the input event to the DOM showing the answer (the full page load: by Playwright, from navigation to the table)',
    formatTable(
      ['interaction', 'n', 'median ms', 'max ms', `median < ${TARGET_MS} ms`],
      browser.map((r) => [r.name, String(r.n), f(r.median), f(r.max), r.median < TARGET_MS ? 'yes' : 'no']),
    ),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDashboardBench()
    .then((result) => {
      console.log(formatDashboardBench(result));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
