// Whole-payment benchmark: POST /orders + POST /txns (card, direct: no 3-D Secure) through the
// real HTTP server, with every simulated gateway at zero latency and success rate 1.0, on PGlite
// and on PostgreSQL, beside a baseline measured in the same run: a bare Fastify server on the same
// database engine doing, per request, as many simple INSERTs (in one transaction) as Junction
// does INSERT/UPDATE statements for that request. The ratio tells what orchestration costs over
// "just write the rows".
//
//   tsx bench/payment-bench.ts            (or npm run bench, which runs every benchmark)
//
// Load generator: a bounded concurrent loop of fetch (undici, keep-alive) in a worker thread,
// so that the client does not compete with the server's event loop. Each of CONCURRENCY
// workers creates an order and pays it, then starts the next payment, until MAX_PAYMENTS
// payments are done or MAX_SECONDS have passed. A payment's latency is the time from sending
// POST /orders to the end of the POST /txns answer. Both systems get the same warm-up, and are
// measured in alternating rounds so that background load on the machine hits both alike.
//
// Environment: BENCH_PAYMENTS (default 2000), BENCH_SECONDS (15), BENCH_CONCURRENCY (16),
// BENCH_WARMUP (200), DATABASE_URL (else postgres://postgres@127.0.0.1:5432/test when reachable),
// BENCH_ENGINES (comma-separated subset of pglite,postgres; default both).
//
// On PostgreSQL, a third system is measured in the same alternating rounds when `pgbench` is on
// the PATH: pgbench on the same server, POOL_SIZE clients (Junction's pool), each transaction one
// small INSERT committed on its own, in a schema of its own that is dropped afterwards. Its
// commits/s divided by the commits of one Junction payment is what the database alone could carry;
// Junction's payments/s is reported as a share of that (goal >= 60%).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import pg from 'pg';
import { buildApp, type Junction } from '../src/app.ts';
import { addCpu, cpuNow, cpuSince, type CpuSample } from './cpu-accounting.ts';
import { columnsThatDiffer, paymentTemplate, startSameWrites } from './same-writes-baseline.ts';
import { pgbenchPaymentScript, type RecordedStatement } from './pgbench-payment-script.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDb, type Db, type Sql, type SqlParam } from '../src/storage/db.ts';

const MERCHANT = 'bench_merchant';
const API_KEY = 'bench_key_0123456789abcdef';
const SIM_GATEWAYS = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'];
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const POOL_SIZE = 10;
/** Alternating measurement rounds per system (see measureSystems). */
const ROUNDS = 6;

export interface PaymentBenchOptions {
  payments?: number;
  seconds?: number;
  concurrency?: number;
  warmup?: number;
  /** PostgreSQL URL; null skips PostgreSQL. Default: DATABASE_URL, else the local test server when reachable. */
  databaseUrl?: string | null;
  /** The engines to measure; default BENCH_ENGINES (comma-separated), else both. */
  engines?: ReadonlyArray<'pglite' | 'postgres'>;
  log?: (line: string) => void;
}

export interface Measurement {
  payments: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per payment while this system was driven (bench/cpu-accounting.ts): this process (server and load generator) and PostgreSQL. */
  cpuMsPerPayment?: { process: number; postgres: number | null };
}

export interface EngineResult {
  engine: 'pglite' | 'postgres';
  writesPerOrder: number;
  writesPerTxn: number;
  statementsPerPayment: number;
  /** Statements plus BEGIN/COMMIT of one payment (POST /orders + POST /txns). */
  roundTripsPerPayment: number;
  /** Writing commits of one payment. */
  commitsPerPayment: number;
  /** pgbench on the same server in the same rounds (PostgreSQL, when pgbench is installed). */
  pgbench?: PgbenchResult;
  junction: Measurement;
  bare: Measurement;
  /** bare payments/s divided by Junction payments/s: how many times slower the orchestrator is. */
  throughputRatio: number;
  /** Junction p50 over bare p50. */
  p50Ratio: number;
  /** The slowdown of each adjacent (Junction, bare) round pair: less sensitive to background load. */
  roundRatios: number[];
  /**
   * The second baseline (bench/same-writes-baseline.ts): Junction's own writes through its storage
   * adapters into the same tables, nothing else. Its pay/s over Junction's, overall and per round.
   */
  sameWrites: Measurement;
  sameWritesRatio: number;
  sameWritesRoundRatios: number[];
  /** Columns set in a Junction payment's order or attempt row and not in the baseline's, or the reverse (should be none). */
  sameWritesColumnsThatDiffer: string[];
  /** The baseline's statements, round trips (with BEGIN/COMMIT) and commits per payment, counted as Junction's are. */
  sameWritesStatements: { statements: number; roundTrips: number; commits: number };
}

export interface PgbenchResult {
  clients: number;
  /** Commits per second of each round, and over all rounds (total transactions ÷ total time). */
  roundTps: number[];
  tps: number;
  /** Junction pay/s ÷ (pgbench commits/s ÷ commits per payment), in percent. */
  shareOfDatabase: number;
  /**
   * pgbench running one payment's own statements per script run (4 commits; bench/pgbench-payment-script.ts),
   * in the same rounds: payments/s, and Junction's and the same-writes baseline's pay/s as a share of it.
   */
  paymentStatements?: { statements: number; roundPaymentsPerSec: number[]; paymentsPerSec: number; junctionShare: number; sameWritesShare: number };
}

export interface PaymentBenchResult {
  settings: { payments: number; seconds: number; concurrency: number; warmup: number };
  engines: EngineResult[];
  skipped: string[];
}

// ---------------------------------------------------------------------------------------------
// Counting the statements a payment runs

interface Counter {
  enabled: boolean;
  /** Rows-writing statements, a data-modifying CTE counting each INSERT/UPDATE/DELETE it holds. */
  writes: number;
  statements: number;
  /** Statements plus BEGIN and COMMIT: the trips to the database and back. */
  roundTrips: number;
  /** Commits that write: each transaction, and each writing statement outside one. */
  commits: number;
  /** When set, every statement is also recorded here (text, parameters, in a transaction or not). */
  recorded: RecordedStatement[] | null;
}

const WRITES = /\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/gi;
const writesIn = (text: string): number => text.match(WRITES)?.length ?? 0;

/** Wraps a Db so that every statement (in or out of a transaction) is counted while enabled. */
export function countingDb(inner: Db): { db: Db; counter: Counter } {
  const counter: Counter = { enabled: false, writes: 0, statements: 0, roundTrips: 0, commits: 0, recorded: null };
  const note = (text: string, inTransaction: boolean, params: readonly SqlParam[] = []): void => {
    counter.recorded?.push({ text, params, inTransaction });
    if (!counter.enabled) return;
    const writes = writesIn(text);
    counter.statements++;
    counter.roundTrips++;
    counter.writes += writes;
    if (!inTransaction && writes > 0) counter.commits++;
  };
  const db: Db = {
    get engine() {
      return inner.engine;
    },
    query<Row = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<Row[]> {
      note(text, false, params);
      return inner.query<Row>(text, params);
    },
    transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      if (counter.enabled) {
        counter.roundTrips += 2; // BEGIN, COMMIT
        counter.commits++;
      }
      return inner.transaction((tx) =>
        fn({
          query<Row = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<Row[]> {
            note(text, true, params);
            return tx.query<Row>(text, params);
          },
        }),
      );
    },
    close: () => inner.close(),
  };
  return { db, counter };
}

// ---------------------------------------------------------------------------------------------
// Load generator (runs in a worker thread; plain JavaScript so it needs no loader)

const DRIVER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, authorization, merchantId, concurrency, maxPayments, maxMs, prefix } = workerData;
const headers = { authorization, 'content-type': 'application/x-www-form-urlencoded', 'x-merchantid': merchantId, version: '2023-06-30' };
const card = 'payment_method_type=CARD&payment_method=VISA&card_number=4111111111111111&card_exp_month=12&card_exp_year=2031&card_security_code=123&format=json';
const latencies = [];
let started = 0;
let errors = 0;
let firstError = null;

async function payment(i) {
  const orderId = prefix + i.toString(36);
  const t0 = performance.now();
  const order = await fetch(baseUrl + '/orders', { method: 'POST', headers, body: 'order_id=' + orderId + '&amount=100.00&currency=INR&customer_id=cust_bench' });
  const orderText = await order.text();
  if (order.status !== 200) throw new Error('POST /orders ' + order.status + ' ' + orderText.slice(0, 300));
  const txn = await fetch(baseUrl + '/txns', { method: 'POST', headers, body: 'order_id=' + orderId + '&merchant_id=' + merchantId + '&' + card });
  const txnText = await txn.text();
  if (txn.status !== 200) throw new Error('POST /txns ' + txn.status + ' ' + txnText.slice(0, 300));
  const status = JSON.parse(txnText).status;
  if (status !== 'CHARGED') throw new Error('POST /txns answered status ' + status + ': ' + txnText.slice(0, 300));
  latencies.push(performance.now() - t0);
}

(async () => {
  const begin = performance.now();
  const deadline = begin + maxMs;
  async function loop() {
    while (started < maxPayments && performance.now() < deadline) {
      const i = started++;
      try {
        await payment(i);
      } catch (error) {
        errors++;
        if (firstError === null) firstError = String(error && error.message || error);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  parentPort.postMessage({ latencies, errors, firstError, elapsedMs: performance.now() - begin });
})().catch((error) => parentPort.postMessage({ latencies, errors: errors + 1, firstError: String(error), elapsedMs: 0 }));
`;

interface DriverResult {
  latencies: number[];
  errors: number;
  firstError: string | null;
  elapsedMs: number;
}

export function drive(baseUrl: string, concurrency: number, maxPayments: number, maxMs: number, prefix: string): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(DRIVER, {
      eval: true,
      workerData: {
        baseUrl,
        concurrency,
        maxPayments,
        maxMs,
        prefix,
        merchantId: MERCHANT,
        authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
      },
    });
    worker.once('message', (message: DriverResult) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

export function summarise(result: DriverResult): Measurement {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const at = (q: number): number => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  const seconds = result.elapsedMs / 1000;
  return {
    payments: sorted.length,
    errors: result.errors,
    firstError: result.firstError,
    seconds,
    perSec: seconds > 0 ? sorted.length / seconds : 0,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

function merge(results: DriverResult[]): DriverResult {
  return {
    latencies: results.flatMap((r) => r.latencies),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError !== null)?.firstError ?? null,
    elapsedMs: results.reduce((sum, r) => sum + r.elapsedMs, 0),
  };
}

/**
 * Measures the systems in alternating rounds (each round every system once, the order rotating
 * from round to round), each round a share of the payment and time budget, so that drift in the
 * machine's background load hits them alike. All servers are up during the whole measurement; only one is driven at a time.
 * Returns each system's measurement and, for each baseline, its pay/s over Junction's per round.
 */
async function measureSystems(
  systems: ReadonlyArray<{ label: string; url: string }>,
  settings: PaymentBenchResult['settings'],
  runTag: string,
  extraRound?: (seconds: number) => Promise<void>,
): Promise<{ measured: Measurement[]; roundRatios: number[][] }> {
  for (const [i, { label, url }] of systems.entries()) {
    if (settings.warmup <= 0) continue;
    const warm = await drive(url, settings.concurrency, settings.warmup, 60_000, `w${runTag}${i}`);
    if (warm.errors > 0) throw new Error(`${label}: warm-up failed (${warm.errors} errors): ${warm.firstError}`);
  }
  const results: DriverResult[][] = systems.map(() => []);
  const cpu: CpuSample[] = systems.map(() => ({ processMs: 0, postgresMs: 0 }));
  const perRound = Math.ceil(settings.payments / ROUNDS);
  const msPerRound = (settings.seconds * 1000) / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates each round, so that no system always follows the same one (pgbench's
    // writes, and the autovacuum they wake, would otherwise always land in the first system's turn).
    for (let turn = 0; turn < systems.length; turn++) {
      const i = (round + turn) % systems.length;
      const { url } = systems[i]!;
      const start = cpuNow();
      results[i]!.push(await drive(url, settings.concurrency, perRound, msPerRound, `m${runTag}s${i}r${round}`));
      cpu[i] = addCpu(cpu[i]!, cpuSince(start));
    }
    // The round's length for pgbench: what the Junction round took.
    if (extraRound) await extraRound(Math.max(1, Math.round(results[0]![round]!.elapsedMs / 1000)));
  }
  const junction = results[0]!;
  return {
    measured: results.map((r, i) => withCpu(summarise(merge(r)), cpu[i]!)),
    roundRatios: results.slice(1).map((r) => junction.map((j, round) => summarise(r[round]!).perSec / summarise(j).perSec)),
  };
}

function withCpu(m: Measurement, cpu: CpuSample): Measurement {
  if (m.payments === 0) return m;
  return { ...m, cpuMsPerPayment: { process: cpu.processMs / m.payments, postgres: cpu.postgresMs === null ? null : cpu.postgresMs / m.payments } };
}

// ---------------------------------------------------------------------------------------------
// The two systems

function benchConfig(databaseUrl: string | undefined): Config {
  return {
    ...loadConfig({}),
    logLevel: 'silent',
    publicBaseUrl: 'http://127.0.0.1:8080',
    databaseUrl,
    demo: { enabled: true, merchantId: MERCHANT, apiKey: API_KEY, userTokens: { admin: undefined, approver: undefined, viewer: undefined } },
  };
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** Counts the writes of POST /orders and of POST /txns (averaged over a few sequential payments, caches warm). */
async function countWrites(baseUrl: string, counter: Counter, runTag: string): Promise<{ order: number; txn: number; statements: number; roundTrips: number; commits: number; lastOrderId: string }> {
  const headers = {
    authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    'x-merchantid': MERCHANT,
  };
  const samples = 10;
  let orderWrites = 0;
  let txnWrites = 0;
  let statements = 0;
  counter.roundTrips = 0;
  counter.commits = 0;
  // Two payments first, not counted: they fill the caches (API key, accounts, settings) as the
  // measured payments find them.
  for (let i = -2; i < samples; i++) {
    const orderId = `c${runTag}${i + 2}`;
    if (i === 0) {
      orderWrites = txnWrites = statements = 0;
      counter.roundTrips = counter.commits = 0;
    }
    counter.writes = 0;
    counter.statements = 0;
    counter.enabled = true;
    const order = await fetch(`${baseUrl}/orders`, { method: 'POST', headers, body: `order_id=${orderId}&amount=100.00&currency=INR&customer_id=cust_bench` });
    await order.text();
    orderWrites += counter.writes;
    statements += counter.statements;
    counter.writes = 0;
    counter.statements = 0;
    const txn = await fetch(`${baseUrl}/txns`, {
      method: 'POST',
      headers,
      body: `order_id=${orderId}&merchant_id=${MERCHANT}&payment_method_type=CARD&payment_method=VISA&card_number=4111111111111111&card_exp_month=12&card_exp_year=2031&card_security_code=123&format=json`,
    });
    const body = (await txn.json()) as { status?: string };
    counter.enabled = false;
    if (order.status !== 200 || txn.status !== 200 || body.status !== 'CHARGED') {
      throw new Error(`write-count payment failed: orders ${order.status}, txns ${txn.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    txnWrites += counter.writes;
    statements += counter.statements;
  }
  return {
    order: Math.round(orderWrites / samples),
    txn: Math.round(txnWrites / samples),
    statements: Math.round(statements / samples),
    roundTrips: Math.round(counter.roundTrips / samples),
    commits: Math.round(counter.commits / samples),
    lastOrderId: `c${runTag}${samples + 1}`,
  };
}

export async function startJunction(db: Db): Promise<Junction> {
  const junction = await buildApp(benchConfig(undefined), { db, logger: false, simulatorSeed: 11 });
  for (const gateway of SIM_GATEWAYS) {
    const patched = junction.simulator.forMerchant(MERCHANT).patchProfile(gateway, { baseSuccessRate: 1, latency: { fixedMs: 0, jitterMs: 0 }, pendingProbability: 0, outages: [] });
    if (!patched?.ok) throw new Error(`cannot patch simulator profile ${gateway}: ${JSON.stringify(patched)}`);
  }
  return junction;
}

/** The baseline: same HTTP framework, same body parsing, same database, only the writes. */
export async function startBare(db: Db, writesPerOrder: number, writesPerTxn: number): Promise<FastifyInstance> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_bare_writes (
    id bigserial PRIMARY KEY, order_id text NOT NULL, kind text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const app = Fastify({ logger: false });
  await app.register(formbody);
  const write = async (orderId: string, kind: string, count: number, payload: Record<string, unknown>): Promise<void> => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await tx.query('INSERT INTO bench_bare_writes (order_id, kind, payload) VALUES ($1, $2, $3)', [orderId, `${kind}${i}`, payload]);
      }
    });
  };
  app.post('/orders', async (request) => {
    const body = request.body as Record<string, string>;
    await write(body.order_id, 'order', writesPerOrder, { amount: body.amount, currency: body.currency });
    return { order_id: body.order_id, status: 'NEW', status_id: 10 };
  });
  app.post('/txns', async (request) => {
    const body = request.body as Record<string, string>;
    await write(body.order_id, 'txn', writesPerTxn, { payment_method_type: body.payment_method_type, last4: String(body.card_number).slice(-4) });
    return { order_id: body.order_id, txn_id: `${MERCHANT}-${body.order_id}-1`, status: 'CHARGED', status_id: 21 };
  });
  await app.ready();
  return app;
}

// ---------------------------------------------------------------------------------------------
// One engine

interface EngineDb {
  open(): Promise<Db>;
  cleanup(): Promise<void>;
}

function pgliteEngine(): EngineDb {
  return { open: () => openDb({ dataDir: 'memory://' }), cleanup: async () => undefined };
}

function postgresEngine(databaseUrl: string): EngineDb {
  const schemas: string[] = [];
  return {
    async open() {
      const schema = `bench_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      return openDb({ databaseUrl, schema, poolSize: POOL_SIZE });
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

const run = promisify(execFile);

/** pgbench's path, or null when it is not installed. */
async function findPgbench(): Promise<string | null> {
  try {
    await run('pgbench', ['--version']);
    return 'pgbench';
  } catch {
    return null;
  }
}

type PgbenchRound = (seconds: number) => Promise<{ transactions: number; seconds: number }>;

/** Runs a pgbench script with `clients` connections and `searchPath` first, one timed round at a time. */
async function pgbenchRunner(databaseUrl: string, clients: number, scriptText: string, searchPath: string): Promise<{ round: PgbenchRound; removeScript(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'junction-pgbench-'));
  const script = join(dir, 'script.sql');
  await writeFile(script, scriptText);
  return {
    async round(seconds) {
      // -n: no vacuum of pgbench's own tables (there are none); PGOPTIONS puts the schema first.
      const { stdout } = await run('pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, databaseUrl], {
        env: { ...process.env, PGOPTIONS: `-c search_path=${searchPath}` },
      });
      const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
      const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
      const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
      if (!Number.isFinite(transactions) || !Number.isFinite(tps) || tps <= 0 || failed > 0) throw new Error(`pgbench output not understood or failed: ${stdout.slice(0, 800)}`);
      return { transactions, seconds: transactions / tps };
    },
    removeScript: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A pgbench baseline on a PostgreSQL server: `clients` connections, each transaction one small
 * INSERT (a bigserial key, two short texts, a small jsonb, a default timestamp: about the size of
 * the bare handler's rows), committed on its own. Its own schema, dropped by cleanup().
 */
async function pgbenchBaseline(databaseUrl: string, clients: number): Promise<{ round: PgbenchRound; cleanup(): Promise<void> }> {
  const schema = `bench_pgb_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(
      `CREATE TABLE ${schema}.pgb_writes (id bigserial PRIMARY KEY, order_id text NOT NULL, kind text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  } finally {
    await admin.end();
  }
  const runner = await pgbenchRunner(databaseUrl, clients, `INSERT INTO pgb_writes (order_id, kind, payload) VALUES ('o' || :client_id, 'w', '{"amount":"100.00","currency":"INR"}');\n`, schema);
  return {
    round: runner.round,
    async cleanup() {
      await runner.removeScript();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * pgbench running one payment's own statements per script run (bench/pgbench-payment-script.ts),
 * recorded from a payment of the same-writes baseline, in Junction's schema (its tables, its merchant).
 */
async function pgbenchPaymentStatements(databaseUrl: string, clients: number, counting: { db: Db; counter: Counter }, sameWritesUrl: string, runTag: string) {
  counting.counter.recorded = [];
  const orderId = `g${runTag}0`;
  let statements: RecordedStatement[];
  try {
    const recorded = await drive(sameWritesUrl, 1, 1, 10_000, `g${runTag}`);
    if (recorded.errors > 0) throw new Error(`pgbench script: the recorded payment failed: ${recorded.firstError}`);
    statements = counting.counter.recorded;
  } finally {
    counting.counter.recorded = null;
  }
  const [keys] = await counting.db.query<{ order_pk: string; txn_uuid: string; gateway_txn_id: string; schema: string }>(
    `SELECT o.id AS order_pk, t.id AS txn_uuid, t.gateway_txn_id, current_schema() AS schema FROM orders o JOIN txns t ON t.order_pk = o.id WHERE o.merchant_id = $1 AND o.order_id = $2`,
    [MERCHANT, orderId],
  );
  if (!keys) throw new Error(`pgbench script: the recorded payment ${orderId} is not in the database`);
  const script = pgbenchPaymentScript(statements, [orderId, keys.order_pk, keys.txn_uuid, keys.gateway_txn_id]);
  const runner = await pgbenchRunner(databaseUrl, clients, script, keys.schema);
  /** The script's whole payments: a CHARGED order whose attempt is CHARGED with a ledger entry (pgbench reports no error for a claim that matched nothing). */
  const charged = async (): Promise<number> => {
    const [row] = await counting.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM orders o JOIN txns t ON t.order_pk = o.id JOIN simulator_ledger l ON l.gateway_txn_id = t.gateway_txn_id
       WHERE o.merchant_id = $1 AND o.order_id LIKE $2 AND o.status = 'CHARGED' AND t.status = 'CHARGED' AND o.charged_txn_id = t.id`,
      [MERCHANT, `${orderId}-%`],
    );
    return Number(row?.n ?? 0);
  };
  return { round: runner.round, cleanup: runner.removeScript, statements: statements.length, charged };
}

async function benchEngine(engine: 'pglite' | 'postgres', source: EngineDb, settings: PaymentBenchResult['settings'], log: (line: string) => void, databaseUrl?: string): Promise<EngineResult> {
  const runTag = randomBytes(3).toString('hex');
  let junction: Junction | undefined;
  let bare: FastifyInstance | undefined;
  let sameWrites: FastifyInstance | undefined;
  let pgb: Awaited<ReturnType<typeof pgbenchBaseline>> | undefined;
  let pgbPayment: Awaited<ReturnType<typeof pgbenchPaymentStatements>> | undefined;
  const opened: Db[] = [];
  try {
    const counting = countingDb(await source.open());
    opened.push(counting.db);
    junction = await startJunction(counting.db);
    const junctionUrl = await listen(junction.app);
    const writes = await countWrites(junctionUrl, counting.counter, runTag);
    log(
      `  ${engine}: a payment runs ${writes.statements} statements (${writes.roundTrips} round trips with BEGIN/COMMIT, ${writes.commits} commits), ${writes.order} + ${writes.txn} INSERT/UPDATE (POST /orders + POST /txns)`,
    );

    // Bare Fastify on its own database of the same engine, with the same number of writes.
    const bareDb = await source.open();
    opened.push(bareDb);
    bare = await startBare(bareDb, writes.order, writes.txn);
    const bareUrl = await listen(bare);
    // Bare Fastify on Junction's database making Junction's own writes (the last counted payment's values).
    sameWrites = await startSameWrites(counting.db, MERCHANT, await paymentTemplate(counting.db, MERCHANT, writes.lastOrderId));
    const sameWritesUrl = await listen(sameWrites);
    // Counted like Junction's payments (it throws if one fails); its last payment's rows are compared with Junction's.
    const sameCounted = await countWrites(sameWritesUrl, counting.counter, `s${runTag}`);
    const differing = await columnsThatDiffer(counting.db, MERCHANT, writes.lastOrderId, sameCounted.lastOrderId);

    const rounds: Array<{ transactions: number; seconds: number }> = [];
    const paymentRounds: Array<{ transactions: number; seconds: number }> = [];
    if (databaseUrl && (await findPgbench())) {
      pgb = await pgbenchBaseline(databaseUrl, POOL_SIZE);
      pgbPayment = await pgbenchPaymentStatements(databaseUrl, POOL_SIZE, counting, sameWritesUrl, runTag);
    }
    log(`  ${engine}: measuring Junction, bare Fastify, same writes${pgb ? " and pgbench (one INSERT; the payment's statements)" : ''} in ${ROUNDS} alternating rounds ...`);
    const systems = [
      { label: 'Junction', url: junctionUrl },
      { label: 'bare', url: bareUrl },
      { label: 'same writes', url: sameWritesUrl },
    ];
    const pgbenchRounds = async (seconds: number): Promise<void> => {
      rounds.push(await pgb!.round(seconds));
      paymentRounds.push(await pgbPayment!.round(seconds));
    };
    const { measured, roundRatios } = await measureSystems(systems, settings, runTag, pgb ? pgbenchRounds : undefined);
    const [junctionM, bareM, sameM] = measured as [Measurement, Measurement, Measurement];
    let pgbench: PgbenchResult | undefined;
    if (pgb) {
      const tps = rounds.reduce((n, r) => n + r.transactions, 0) / rounds.reduce((n, r) => n + r.seconds, 0);
      pgbench = {
        clients: POOL_SIZE,
        roundTps: rounds.map((r) => r.transactions / r.seconds),
        tps,
        shareOfDatabase: (100 * junctionM.perSec) / (tps / writes.commits),
      };
      const runs = paymentRounds.reduce((n, r) => n + r.transactions, 0);
      const paymentsPerSec = runs / paymentRounds.reduce((n, r) => n + r.seconds, 0);
      const whole = await pgbPayment!.charged();
      // At least one whole payment per run pgbench counted (a run cut off at a round's end may have
      // committed without being counted, so more is possible; fewer means a run wrote a part of one).
      if (whole < runs) throw new Error(`pgbench payment script: ${runs} runs but ${whole} charged payments written (the script does not make whole payments)`);
      pgbench.paymentStatements = {
        statements: pgbPayment!.statements,
        roundPaymentsPerSec: paymentRounds.map((r) => r.transactions / r.seconds),
        paymentsPerSec,
        junctionShare: (100 * junctionM.perSec) / paymentsPerSec,
        sameWritesShare: (100 * sameM.perSec) / paymentsPerSec,
      };
    }
    return {
      roundTripsPerPayment: writes.roundTrips,
      commitsPerPayment: writes.commits,
      ...(pgbench ? { pgbench } : {}),
      engine,
      writesPerOrder: writes.order,
      writesPerTxn: writes.txn,
      statementsPerPayment: writes.statements,
      junction: junctionM,
      bare: bareM,
      throughputRatio: bareM.perSec / junctionM.perSec,
      p50Ratio: junctionM.p50Ms / bareM.p50Ms,
      roundRatios: roundRatios[0]!,
      sameWrites: sameM,
      sameWritesRatio: sameM.perSec / junctionM.perSec,
      sameWritesRoundRatios: roundRatios[1]!,
      sameWritesColumnsThatDiffer: differing,
      sameWritesStatements: { statements: sameCounted.statements, roundTrips: sameCounted.roundTrips, commits: sameCounted.commits },
    };
  } finally {
    await junction?.close();
    await bare?.close();
    await sameWrites?.close();
    await pgb?.cleanup();
    await pgbPayment?.cleanup();
    for (const db of opened) await db.close();
    await source.cleanup();
  }
}

async function reachable(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatPaymentBench(result: PaymentBenchResult): string {
  const { settings } = result;
  const rows: string[][] = [];
  for (const e of result.engines) {
    const writes = `${e.writesPerOrder}+${e.writesPerTxn}`;
    for (const [name, m] of [
      ['Junction', e.junction],
      ['bare Fastify', e.bare],
      ['same writes', e.sameWrites],
    ] as const) {
      rows.push([e.engine, name, writes, String(m.payments), String(m.errors), fmt(m.perSec), fmt(m.p50Ms, 2), fmt(m.p99Ms, 2)]);
    }
  }
  const out = [
    `Whole payment (POST /orders + POST /txns, card, simulator 0 ms / 100% success) over HTTP on 127.0.0.1`,
    `load: fetch loop in a worker thread, concurrency ${settings.concurrency}, up to ${settings.payments} payments or ${settings.seconds} s per system, in ${ROUNDS} alternating rounds, after ${settings.warmup} warm-up payments each`,
    '',
    formatTable(['engine', 'system', 'writes/pay', 'payments', 'errors', 'pay/s', 'p50 ms', 'p99 ms'], rows),
    '',
    formatTable(
      ['engine', 'statements / round trips / commits per pay (Junction)', 'slowdown (bare pay/s ÷ Junction pay/s)', 'median of round pairs', 'p50 ratio', 'goal <= 3x', 'PostgreSQL goal <= 1.3x'],
      result.engines.map((e) => [
        e.engine,
        `${e.statementsPerPayment} / ${e.roundTripsPerPayment} / ${e.commitsPerPayment}`,
        `${fmt(e.throughputRatio, 2)}x`,
        `${fmt(median(e.roundRatios), 2)}x`,
        `${fmt(e.p50Ratio, 2)}x`,
        e.throughputRatio <= 3 ? 'met' : 'NOT met',
        e.engine === 'postgres' ? (e.throughputRatio <= 1.3 ? 'met' : 'NOT met') : '',
      ]),
    ),
    ...result.engines.map((e) => `  ${e.engine} slowdown per round pair: ${e.roundRatios.map((r) => `${fmt(r, 2)}x`).join(', ')}`),
    ...result.engines.flatMap((e) => [
      `  ${e.engine} against the same-writes baseline (Junction's own writes through its storage adapters into the same tables, nothing else; bench/same-writes-baseline.ts): slowdown ${fmt(e.sameWritesRatio, 2)}x, per round ${e.sameWritesRoundRatios.map((r) => `${fmt(r, 2)}x`).join(', ')}, median ${fmt(median(e.sameWritesRoundRatios), 2)}x${e.engine === 'postgres' ? ` (goal <= 1.3x: ${e.sameWritesRatio <= 1.3 ? 'met' : 'NOT met'})` : ''}`,
      e.sameWritesColumnsThatDiffer.length === 0
        ? `    its rows set the same columns as Junction's (orders, txns); it runs ${e.sameWritesStatements.statements} statements (${e.sameWritesStatements.roundTrips} round trips with BEGIN/COMMIT, ${e.sameWritesStatements.commits} commits) per payment`
        : `    WARNING: its rows differ from Junction's in which columns are set: ${e.sameWritesColumnsThatDiffer.join(', ')}`,
    ]),
  ];
  for (const e of result.engines) {
    const cpu = (m: Measurement) =>
      m.cpuMsPerPayment
        ? `${fmt(m.cpuMsPerPayment.process, 2)} ms in this process${e.engine === 'postgres' && m.cpuMsPerPayment.postgres !== null ? ` + ${fmt(m.cpuMsPerPayment.postgres, 2)} ms in PostgreSQL` : ''}`
        : 'not measured';
    out.push(`  ${e.engine} CPU per payment (the load generator's worker thread counts in this process, for all): Junction ${cpu(e.junction)}; bare ${cpu(e.bare)}; same writes ${cpu(e.sameWrites)}`);
  }
  for (const e of result.engines) {
    if (!e.pgbench) continue;
    const p = e.pgbench;
    out.push(
      `  ${e.engine} pgbench (same server, same rounds, ${p.clients} clients, one INSERT per commit): ${fmt(p.tps, 0)} commits/s (rounds ${p.roundTps.map((t) => fmt(t, 0)).join(', ')});`,
      `    ÷ ${e.commitsPerPayment} commits per payment = ${fmt(p.tps / e.commitsPerPayment, 1)} payments/s the database alone could carry; Junction ${fmt(e.junction.perSec, 1)} pay/s = ${fmt(p.shareOfDatabase, 0)}% of it (goal >= 60%: ${p.shareOfDatabase >= 60 ? 'met' : 'NOT met'})`,
    );
    const ps = p.paymentStatements;
    if (ps) {
      out.push(
        `  ${e.engine} pgbench running a payment's own ${ps.statements} statements per run (${e.sameWritesStatements.commits} commits; bench/pgbench-payment-script.ts, same rounds, ${p.clients} clients): ${fmt(ps.paymentsPerSec, 0)} payments/s = ${fmt(e.sameWritesStatements.commits * ps.paymentsPerSec, 0)} commits/s (rounds ${ps.roundPaymentsPerSec.map((t) => fmt(t, 0)).join(', ')});`,
        `    Junction ${fmt(ps.junctionShare, 0)}% of it (goal >= 60%: ${ps.junctionShare >= 60 ? 'met' : 'NOT met'}), the same-writes baseline ${fmt(ps.sameWritesShare, 0)}%`,
      );
    }
  }
  for (const e of result.engines) {
    for (const [name, m] of [
      ['Junction', e.junction],
      ['bare', e.bare],
      ['same writes', e.sameWrites],
    ] as const) {
      if (m.firstError) out.push(`  ${e.engine} ${name}: first error: ${m.firstError}`);
    }
  }
  for (const note of result.skipped) out.push(`  skipped: ${note}`);
  return out.join('\n');
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

export async function runPaymentBench(options: PaymentBenchOptions = {}): Promise<PaymentBenchResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const settings = {
    payments: options.payments ?? envInt('BENCH_PAYMENTS', 2000),
    seconds: options.seconds ?? envInt('BENCH_SECONDS', 15),
    concurrency: options.concurrency ?? envInt('BENCH_CONCURRENCY', 16),
    warmup: options.warmup ?? (process.env.BENCH_WARMUP === '0' ? 0 : envInt('BENCH_WARMUP', 200)),
  };
  const engines: EngineResult[] = [];
  const skipped: string[] = [];

  const wanted: readonly string[] = options.engines ?? (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((e) => e.trim());
  if (wanted.includes('pglite')) {
    log('payment bench: PGlite');
    engines.push(await benchEngine('pglite', pgliteEngine(), settings, log));
  } else skipped.push('PGlite (BENCH_ENGINES)');

  const databaseUrl = options.databaseUrl === undefined ? process.env.DATABASE_URL || DEFAULT_PG_URL : options.databaseUrl;
  if (databaseUrl === null || !wanted.includes('postgres')) skipped.push('PostgreSQL (disabled)');
  else {
    const problem = await reachable(databaseUrl);
    if (problem) skipped.push(`PostgreSQL at ${databaseUrl.replace(/\/\/[^@]*@/, '//***@')} not reachable: ${problem}`);
    else {
      log('payment bench: PostgreSQL');
      engines.push(await benchEngine('postgres', postgresEngine(databaseUrl), settings, log, databaseUrl));
      if (!(await findPgbench())) skipped.push('pgbench baseline: pgbench is not installed (Debian: postgresql-client)');
    }
  }
  return { settings, engines, skipped };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatPaymentBench(await runPaymentBench()));
}
