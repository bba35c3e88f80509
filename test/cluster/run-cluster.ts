// npm run test:cluster — three Junction instances behind HAProxy, PostgreSQL behind PgBouncer in
// transaction mode, Redis shared; payments, refunds and Priority Logic changes driven through the
// balancer while one instance is killed with SIGKILL and restarted, and PgBouncer restarted.
// Proves, from the database (orders, transactions, refunds, the simulated gateways' ledger, the
// webhook outbox) and from a local webhook receiver:
//   1. no order charged twice (at most one CHARGED/AUTHORIZED ledger entry per order, none without its transaction);
//   2. no acknowledged payment lost (every HTTP 200 CHARGED answer has its order CHARGED and one ledger charge);
//   3. refunds: every acknowledged one SUCCESS; every gateway refund one of Junction's, once, never a FAILURE there;
//   4. every webhook delivered (every outbox event DELIVERED and received; every charged order's ORDER_SUCCEEDED received);
//   5. a logic activated through one instance is used by all within the stated bound (2 s, the
//      router's configuration cache, invalidated at once over Redis pub/sub; checked with a 1.5 s
//      margin on this shared machine), and the payments sent after that bound all used it;
//   6. routing scores, rate limits and the sign-in throttle shared by the three instances.
// Prints what it measured; exits 1 when a property is violated, 2 when the setup failed.
// Needs haproxy and pgbouncer (Debian packages), PostgreSQL (CLUSTER_PG_URL, default
// postgres://postgres@127.0.0.1:5432/postgres, a superuser: it creates and drops its own database)
// and Redis (CLUSTER_REDIS_URL, default redis://127.0.0.1:6379). docs/operations.md describes it.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { throttleKeys } from '../../src/core/sessions/signin-throttle.ts';
import { haproxyConfig, pgbouncerConfig } from './configs.ts';
import { freePort, killAllNow, killHard, sleep, startChild, stop, stopAll, tail, waitUntil, type Child } from './processes.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PG_URL = process.env.CLUSTER_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.CLUSTER_REDIS_URL || 'redis://127.0.0.1:6379';
const LOAD_SECONDS = Number(process.env.CLUSTER_LOAD_SECONDS || 36);
const WORKERS = Number(process.env.CLUSTER_WORKERS || 6);
/** The stated bound: a logic change reaches every instance within the router's configuration cache lifetime. */
const LOGIC_BOUND_MS = 2_000;
/** Margin for a loaded two-core machine (the bound is a cache lifetime; the margin is scheduling and the probe's round trips). */
const LOGIC_MARGIN_MS = 1_500;
const INSTANCE_COUNT = 3;
const ADDRESS_BUDGET = 300;

const tag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
const MERCHANT = `cluster_${tag}`;
const API_KEY = `cluster_key_${randomBytes(12).toString('hex')}`;
const ADMIN_KEY = `cluster_admin_${randomBytes(12).toString('hex')}`;
const MASTER_KEYS = `k1:${randomBytes(32).toString('base64')}`;
const DB_NAME = `junction_cluster_${tag}`;
const AUTH = `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
const RATE_LIMITED_ADDRESS = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
const SIGN_IN_ADDRESS = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;
const SIGN_IN_EMAIL = `ops-${tag}@cluster.example`;

const violations: string[] = [];
const figures: Array<[string, string | number]> = [];
const check = (ok: boolean, what: string) => {
  if (!ok) violations.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const figure = (name: string, value: string | number) => {
  figures.push([name, value]);
};

// ------------------------------------------------------------------------------------------ HTTP

interface Reply {
  status: number;
  json: any;
  text: string;
}

async function http(method: string, url: string, options: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 20_000) });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

/** An answer that says the instance behind the balancer died or could not be reached (or no answer at all). */
const isInfraFailure = (r: Reply | Error) => r instanceof Error || r.status === 502 || r.status === 503 || r.status === 504;

// --------------------------------------------------------------------------------- the cluster

interface Instance {
  name: string;
  port: number;
  env: NodeJS.ProcessEnv;
  child: Child | null;
  log: string;
}

let tmp = '';
let distDir = '';
let balancer = '';
let receiver: Server | null = null;
let dbCreated = false;
let bouncer: Child | null = null;
let startBouncer: () => Promise<number> = async () => 0;
const RESTART_BOUNCER = !['0', 'off', 'false'].includes(process.env.CLUSTER_RESTART_PGBOUNCER ?? '1');
const instances: Instance[] = [];

function instanceEnv(port: number, bouncerPort: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS']) if (process.env[name] !== undefined) env[name] = process.env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: `postgres://postgres@127.0.0.1:${bouncerPort}/junction`,
    REDIS_URL,
    DATA_DIR: dataDir,
    PUBLIC_BASE_URL: balancer,
    TRUST_PROXY: '127.0.0.1',
    JUNCTION_ADMIN_KEY: ADMIN_KEY,
    JUNCTION_MASTER_KEYS: MASTER_KEYS,
    DEMO_MERCHANT_ID: MERCHANT,
    DEMO_API_KEY: API_KEY,
    DEMO_USER_PASSWORD: `cluster-password-${tag}`,
    LOG_LEVEL: 'warn',
    SANDBOX_WORKERS: '1',
    // Requests without credentials (shoppers' pages, sign-in): 300 a minute per client address, for the fleet.
    RATE_LIMIT_ADDRESS_PER_MINUTE: String(ADDRESS_BUDGET),
  });
  return env;
}

function startInstance(instance: Instance): void {
  instance.child = startChild(instance.name, process.execPath, ['--enable-source-maps', join(distDir, 'main.js')], { env: instance.env, log: instance.log, cwd: ROOT });
}

async function healthy(url: string): Promise<boolean> {
  const r = await http('GET', `${url}/health`, { timeoutMs: 2_000 });
  return r.status === 200;
}

async function setUp(): Promise<void> {
  for (const bin of ['haproxy', 'pgbouncer']) {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${bin} is not installed (Debian: apt-get install -y haproxy pgbouncer)`);
    }
  }
  tmp = mkdtempSync(join(tmpdir(), 'junction-cluster-'));
  chmodSync(tmp, 0o755); // PgBouncer runs as postgres and reads its files here
  console.log(`cluster test ${tag}: files in ${tmp}`);

  // The database: a fresh one, dropped at the end.
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    dbCreated = true;
  } finally {
    await admin.end();
  }
  const pgTarget = new URL(PG_URL);

  // The service, compiled (what production runs), in a folder of its own inside the project.
  distDir = join(ROOT, '.tmp', `cluster-dist-${tag}`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs'), `--outdir=.tmp/cluster-dist-${tag}`], { cwd: ROOT, stdio: 'ignore' });

  // PgBouncer in transaction mode, in front of the test database.
  const bouncerPort = await freePort();
  const authFile = join(tmp, 'userlist.txt');
  writeFileSync(authFile, `"${decodeURIComponent(pgTarget.username || 'postgres')}" ""\n`, { mode: 0o644 });
  const ini = join(tmp, 'pgbouncer.ini');
  writeFileSync(
    ini,
    pgbouncerConfig({ port: bouncerPort, database: DB_NAME, pgHost: pgTarget.hostname, pgPort: Number(pgTarget.port || 5432), pgUser: decodeURIComponent(pgTarget.username || 'postgres'), authFile }),
    { mode: 0o644 },
  );
  // PgBouncer refuses to run as root: as root it switches to the postgres user itself (-u).
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  startBouncer = async () => {
    bouncer = startChild('pgbouncer', 'pgbouncer', [...(asRoot ? ['-u', 'postgres'] : []), ini], { log: join(tmp, 'pgbouncer.log') });
    return waitUntil(
      'PgBouncer',
      async () => {
        const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${bouncerPort}/junction` });
        c.on('error', () => undefined);
        try {
          await c.connect();
          await c.query('SELECT 1');
        } finally {
          await c.end().catch(() => undefined);
        }
        return true;
      },
      15_000,
      100,
    );
  };
  await startBouncer();

  // The balancer's port first: the instances' PUBLIC_BASE_URL names it.
  const balancerPort = await freePort();
  balancer = `http://127.0.0.1:${balancerPort}`;
  for (let i = 1; i <= INSTANCE_COUNT; i++) {
    const port = await freePort();
    const dataDir = join(tmp, `j${i}`);
    mkdirSync(dataDir);
    instances.push({ name: `j${i}`, port, env: instanceEnv(port, bouncerPort, dataDir), child: null, log: join(tmp, `j${i}.log`) });
  }
  // All three at once: migrations and the demo seed race on purpose (the migration lock decides).
  const started = Date.now();
  for (const instance of instances) startInstance(instance);
  await Promise.all(
    instances.map((instance) =>
      waitUntil(
        `instance ${instance.name}`,
        async () => {
          if (instance.child?.proc.exitCode !== null) throw new Error(`instance ${instance.name} exited during start:\n${tail(instance.log)}`);
          return healthy(`http://127.0.0.1:${instance.port}`);
        },
        60_000,
        200,
      ),
    ),
  );
  figure('three instances started together (migrations, seed) in', `${Date.now() - started} ms`);

  const cfg = join(tmp, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig({ port: balancerPort, instances: instances.map((i) => ({ name: i.name, port: i.port })) }), { mode: 0o644 });
  startChild('haproxy', 'haproxy', ['-db', '-f', cfg], { log: join(tmp, 'haproxy.log') });
  await waitUntil('HAProxy', () => healthy(balancer), 15_000, 200);
}

// ------------------------------------------------------------------------------ webhook receiver

interface Received {
  id: string;
  name: string;
  orderId: string | null;
  attempt: number;
}
const received: Received[] = [];

async function startReceiver(): Promise<string> {
  const port = await freePort();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      let payload: any = null;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        payload = null;
      }
      received.push({
        id: String(request.headers['x-junction-event-id'] ?? ''),
        name: String(request.headers['x-junction-event-name'] ?? ''),
        orderId: payload?.content?.order?.order_id ?? null,
        attempt: Number(request.headers['x-junction-delivery-attempt'] ?? 0),
      });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${port}/junction-webhooks`;
}

// ---------------------------------------------------------------------------------------- load

interface Counters {
  orders: number;
  payments: number;
  acked: number;
  declined: number;
  otherAnswers: number;
  infraFailures: number;
  retriedAfterFailure: number;
  refundsAsked: number;
  refundsAcked: number;
}
const counts: Counters = { orders: 0, payments: 0, acked: 0, declined: 0, otherAnswers: 0, infraFailures: 0, retriedAfterFailure: 0, refundsAsked: 0, refundsAcked: 0 };
const ackedOrders = new Map<string, number>(); // order id -> amount (minor units)
/** What the client was told about each order's payment: 'CHARGED', another status, 'HTTP 409', 'no answer'. */
const toldClient = new Map<string, string>();
/** When each payment request was sent and answered (its first try to its last). */
const paymentTimes = new Map<string, { start: number; end: number }>();
const ackedRefunds = new Map<string, { orderId: string; amount: number }>(); // unique_request_id -> refund
/** Up to five answers that were neither a payment outcome nor an infrastructure failure, to print. */
const otherExamples: string[] = [];
const noteOther = (what: string, r: Reply | null) => {
  if (otherExamples.length < 5)
    otherExamples.push(`${what}: ${r ? `HTTP ${r.status} ${r.json?.error_info?.code ?? ''} ${(r.json?.error_message ?? r.text).slice(0, 120)}` : 'no answer after 6 tries'}`);
};
let stopLoad = false;
let orderSeq = 0;

/** Calls through the balancer; an infrastructure failure (no answer, 502-504) is retried with the same request, as a client would. */
async function viaBalancer(method: string, path: string, form: Record<string, string>): Promise<Reply | null> {
  for (let attempt = 0; attempt < 6; attempt++) {
    let result: Reply | Error;
    try {
      result = await http(method, `${balancer}${path}`, { form, headers: { authorization: AUTH } });
    } catch (error) {
      result = error as Error;
    }
    if (!isInfraFailure(result)) {
      if (attempt > 0) counts.retriedAfterFailure++;
      return result as Reply;
    }
    counts.infraFailures++;
    await sleep(250 * (attempt + 1));
  }
  return null;
}

async function worker(w: number): Promise<void> {
  while (!stopLoad) {
    const orderId = `c${tag}w${w}n${++orderSeq}`;
    const amountMinor = 100 + Math.floor(Math.random() * 50_000);
    const amount = (amountMinor / 100).toFixed(2);
    const order = await viaBalancer('POST', '/orders', { order_id: orderId, amount, currency: 'INR' });
    if (order?.status !== 200) {
      counts.otherAnswers++;
      noteOther('order', order);
      continue;
    }
    counts.orders++;
    counts.payments++;
    const start = Date.now();
    const txn = await viaBalancer('POST', '/txns', {
      order_id: orderId,
      merchant_id: MERCHANT,
      payment_method_type: 'CARD',
      card_number: '4111111111111111',
      card_exp_month: '12',
      card_exp_year: '2031',
      card_security_code: '123',
      format: 'json',
    });
    paymentTimes.set(orderId, { start, end: Date.now() });
    toldClient.set(orderId, !txn ? 'no answer' : txn.status === 200 ? String(txn.json?.status) : `HTTP ${txn.status}`);
    if (!txn) {
      counts.otherAnswers++;
      noteOther('payment', txn);
      continue;
    }
    if (txn.status === 200 && txn.json?.status === 'CHARGED') {
      counts.acked++;
      ackedOrders.set(orderId, amountMinor);
    } else if (txn.status === 200) {
      counts.declined++;
      continue;
    } else {
      counts.otherAnswers++;
      noteOther('payment', txn);
      continue;
    }
    // A partial refund of every third acknowledged payment.
    if (counts.acked % 3 === 0) {
      const uid = `rf_${orderId}`.slice(0, 64);
      const refundMinor = Math.max(1, Math.floor(amountMinor / 2));
      counts.refundsAsked++;
      const refund = await viaBalancer('POST', `/orders/${orderId}/refunds`, { unique_request_id: uid, amount: (refundMinor / 100).toFixed(2) });
      const entry = refund?.status === 200 ? (refund.json?.refunds as Array<any> | undefined)?.find((r) => r.unique_request_id === uid) : undefined;
      if (entry && (entry.status === 'SUCCESS' || entry.status === 'PENDING')) {
        counts.refundsAcked++;
        ackedRefunds.set(uid, { orderId, amount: refundMinor });
      }
    }
  }
}

// ------------------------------------------------------------------------- logic propagation

interface Activation {
  logicId: string;
  gateway: string;
  at: number;
  propagationMs: Record<string, number>;
}
const activations: Activation[] = [];

async function createLogic(name: string, gateway: string): Promise<string> {
  const r = await http('POST', `${balancer}/v1/priority-logics`, {
    headers: { authorization: AUTH },
    json: { name, kind: 'DEFAULT', enforce: true, defaultGateways: [{ gateway }] },
  });
  if (r.status !== 201) throw new Error(`creating logic ${name}: ${r.status} ${r.text}`);
  return r.json.id as string;
}

async function decideOn(port: number): Promise<string | null> {
  const r = await http('POST', `http://127.0.0.1:${port}/v1/decide-gateway`, {
    headers: { authorization: AUTH },
    json: { paymentInfo: { amount: 10, currency: 'INR', paymentMethodType: 'CARD' }, rankingAlgorithm: 'PL_BASED_ROUTING' },
    timeoutMs: 5_000,
  });
  return r.status === 200 ? (r.json.decided_gateway as string | null) : null;
}

/** Activates the logic through the balancer, then asks every live instance directly until each decides with it. */
async function activateAndMeasure(logicId: string, gateway: string): Promise<void> {
  const live = [];
  for (const instance of instances)
    if (instance.child && instance.child.proc.exitCode === null && instance.child.proc.signalCode === null && (await healthy(`http://127.0.0.1:${instance.port}`).catch(() => false)))
      live.push(instance);
  // Through the balancer, retried while it has no instance to offer (503) or lost the answer
  // (502/504, no answer: then the logic may be ACTIVE already, or the version moved: read again).
  let at = 0;
  for (let attempt = 0; attempt < 40 && at === 0; attempt++) {
    if (attempt > 0) await sleep(250);
    const current = await http('GET', `${balancer}/v1/priority-logics/${logicId}`, { headers: { authorization: AUTH } }).catch((e: Error) => e);
    if (current instanceof Error || current.status !== 200) {
      if (isInfraFailure(current)) continue;
      throw new Error(`reading logic: ${(current as Reply).status} ${(current as Reply).text}`);
    }
    if (current.json.status === 'ACTIVE') {
      at = Date.now();
      break;
    }
    const r = await http('POST', `${balancer}/v1/priority-logics/${logicId}/activate`, { headers: { authorization: AUTH }, json: { version: current.json.row_version } }).catch((e: Error) => e);
    if (!(r instanceof Error) && r.status === 200) at = Date.now();
    else if (!isInfraFailure(r) && (r as Reply).status !== 409) throw new Error(`activating logic: ${(r as Reply).status} ${(r as Reply).text}`);
  }
  if (at === 0) throw new Error('activating logic: no answer through the balancer for 10 s');
  const activation: Activation = { logicId, gateway, at, propagationMs: {} };
  activations.push(activation);
  await Promise.all(
    live.map(async (instance) => {
      const deadline = at + 15_000;
      while (Date.now() < deadline) {
        const decided = await decideOn(instance.port).catch(() => null);
        if (decided === gateway) {
          activation.propagationMs[instance.name] = Date.now() - at;
          return;
        }
        await sleep(50);
      }
      activation.propagationMs[instance.name] = Number.POSITIVE_INFINITY;
    }),
  );
}

// ------------------------------------------------------------------------------------- main

async function main(): Promise<number> {
  const t0 = Date.now();
  const webhookUrl = await startReceiver();
  await setUp();
  const dbUrl = new URL(PG_URL);
  dbUrl.pathname = `/${DB_NAME}`;
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  try {
    // The merchant's webhook endpoint is our receiver (admin API, through the balancer).
    const hook = await http('PATCH', `${balancer}/admin/v1/merchants/${MERCHANT}/webhook`, { headers: { authorization: `Bearer ${ADMIN_KEY}` }, json: { url: webhookUrl } });
    if (hook.status !== 200) throw new Error(`setting the webhook URL: ${hook.status} ${hook.text}`);
    // Two logics to switch between: every payment on one gateway, then on another.
    const logics = [
      { id: await createLogic(`cluster-gamma-${tag}`, 'SIM_GAMMA'), gateway: 'SIM_GAMMA' },
      { id: await createLogic(`cluster-beta-${tag}`, 'SIM_BETA'), gateway: 'SIM_BETA' },
    ];
    // Settings and caches of the webhook URL live up to 5 s per instance: let them expire before load.
    await sleep(5_500);

    // ---- load, logic changes, and the kill
    console.log(`load: ${WORKERS} clients for ${LOAD_SECONDS} s through ${balancer}`);
    const loadStart = Date.now();
    const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
    const victim = instances[1];
    let killedAt = 0;
    let restartedHealthyMs = 0;
    let infraAtKill = 0;
    const background: Error[] = [];
    const guarded = (task: Promise<void>) =>
      task.catch((error: Error) => {
        background.push(error);
        stopLoad = true;
      });
    const chaos = guarded(
      (async () => {
        await sleep(LOAD_SECONDS * 350);
        infraAtKill = counts.infraFailures;
        killedAt = Date.now();
        console.log(`kill -9 ${victim.name} (pid ${victim.child?.proc.pid}) after ${((killedAt - loadStart) / 1000).toFixed(1)} s of load`);
        await killHard(victim.child!);
        await sleep(2_000);
        startInstance(victim);
        restartedHealthyMs = await waitUntil(`restarted ${victim.name}`, () => healthy(`http://127.0.0.1:${victim.port}`), 60_000, 100);
        console.log(`${victim.name} restarted, healthy ${restartedHealthyMs} ms after its start`);
      })(),
    );
    // PgBouncer restarted later in the load: the instances' pooled connections break and are replaced.
    let bouncerDownMs = 0;
    let failuresBeforeBouncer = 0;
    let otherBeforeBouncer = 0;
    const bouncerRestart = guarded(
      (async () => {
        if (!RESTART_BOUNCER) return;
        await sleep(LOAD_SECONDS * 650);
        failuresBeforeBouncer = counts.infraFailures;
        otherBeforeBouncer = counts.otherAnswers;
        const stoppedAt = Date.now();
        console.log(`PgBouncer restarted (SIGTERM, immediate shutdown) after ${((stoppedAt - loadStart) / 1000).toFixed(1)} s of load`);
        await stop(bouncer!, 5_000);
        await startBouncer();
        bouncerDownMs = Date.now() - stoppedAt;
      })(),
    );
    const logicChanges = guarded(
      (async () => {
        let i = 0;
        await sleep(2_000);
        while (Date.now() - loadStart < LOAD_SECONDS * 1000 - 6_000) {
          const logic = logics[i++ % logics.length];
          await activateAndMeasure(logic.id, logic.gateway);
          await sleep(4_000);
        }
      })(),
    );
    for (let waited = 0; waited < LOAD_SECONDS * 1000 && !stopLoad; waited += 250) await sleep(250);
    stopLoad = true;
    await Promise.all([...workers, chaos, logicChanges, bouncerRestart]);
    if (background.length) throw background[0];
    const loadMs = Date.now() - loadStart;
    const victimServed = await http('GET', `http://127.0.0.1:${victim.port}/orders/${[...ackedOrders.keys()][0] ?? 'none'}`, { headers: { authorization: AUTH } });

    // ---- settle: payments caught mid-flight by the kill are settled by the status sync (30 s minimum age, every 10 s)
    const unsettledSql = `SELECT count(*)::int AS n FROM txns WHERE merchant_id = $1 AND status IN ('STARTED','PENDING_VBV','VBV_SUCCESSFUL','AUTHORIZING','CAPTURE_INITIATED','VOID_INITIATED')`;
    const unsettledAtEnd = (await db.query(unsettledSql, [MERCHANT])).rows[0].n as number;
    const settleMs = await waitUntil('every transaction settled', async () => (await db.query(unsettledSql, [MERCHANT])).rows[0].n === 0, 90_000, 500).catch(() => -1);
    const pendingRefundsSql = `SELECT count(*)::int AS n FROM refunds WHERE merchant_id = $1 AND status = 'PENDING'`;
    await waitUntil('refunds settled', async () => (await db.query(pendingRefundsSql, [MERCHANT])).rows[0].n === 0, 5_000, 500).catch(() => -1);
    // ---- webhooks: a delivery claimed by the killed instance comes back when its lease ends (40 s)
    const undeliveredSql = `SELECT count(*)::int AS n FROM outbox_events WHERE merchant_id = $1 AND status <> 'DELIVERED'`;
    const webhookMs = await waitUntil('every webhook delivered', async () => (await db.query(undeliveredSql, [MERCHANT])).rows[0].n === 0, 90_000, 500).catch(() => -1);

    console.log('\n== properties');
    // 1. no order charged twice, no charge without its transaction
    const doubles = (
      await db.query(
        `SELECT o.order_id, count(*)::int AS n FROM simulator_ledger l JOIN txns t ON t.merchant_id = l.merchant_id AND t.txn_id = l.reference JOIN orders o ON o.id = t.order_pk
       WHERE l.merchant_id = $1 AND l.status IN ('CHARGED','AUTHORIZED') GROUP BY o.order_id HAVING count(*) > 1`,
        [MERCHANT],
      )
    ).rows;
    check(doubles.length === 0, `no order charged twice (ledger): ${doubles.length} orders with two charges${doubles.length ? ` e.g. ${JSON.stringify(doubles.slice(0, 3))}` : ''}`);
    const orphans = (
      await db.query(
        `SELECT l.reference FROM simulator_ledger l LEFT JOIN txns t ON t.merchant_id = l.merchant_id AND t.txn_id = l.reference
       WHERE l.merchant_id = $1 AND l.status IN ('CHARGED','AUTHORIZED') AND t.id IS NULL`,
        [MERCHANT],
      )
    ).rows;
    check(orphans.length === 0, `every gateway charge has its transaction: ${orphans.length} without`);
    const disagreeing = (
      await db.query(
        `SELECT t.txn_id, t.status FROM simulator_ledger l JOIN txns t ON t.merchant_id = l.merchant_id AND t.txn_id = l.reference
       WHERE l.merchant_id = $1 AND l.status IN ('CHARGED','AUTHORIZED') AND t.status NOT IN ('CHARGED','AUTHORIZED')`,
        [MERCHANT],
      )
    ).rows;
    check(
      disagreeing.length === 0,
      `every gateway charge is CHARGED in Junction's records: ${disagreeing.length} disagree${disagreeing.length ? ` e.g. ${JSON.stringify(disagreeing.slice(0, 3))}` : ''}`,
    );

    // 2. no acknowledged payment lost
    const ackedIds = [...ackedOrders.keys()];
    const orderRows = (
      await db.query(
        `SELECT o.order_id, o.status, o.amount, o.charged_txn_id,
              (SELECT count(*)::int FROM txns t JOIN simulator_ledger l ON l.merchant_id = t.merchant_id AND l.reference = t.txn_id
                WHERE t.order_pk = o.id AND l.status IN ('CHARGED','AUTHORIZED')) AS charges
         FROM orders o WHERE o.merchant_id = $1 AND o.order_id = ANY($2::text[])`,
        [MERCHANT, ackedIds],
      )
    ).rows;
    const byOrder = new Map(orderRows.map((r) => [r.order_id as string, r]));
    let lost = 0;
    const lostExamples: string[] = [];
    for (const [orderId, amountMinor] of ackedOrders) {
      const row = byOrder.get(orderId);
      const ok = row && ['CHARGED', 'PARTIAL_CHARGED', 'AUTO_REFUNDED', 'REFUNDED'].includes(row.status) && row.charged_txn_id && row.charges === 1 && Number(row.amount) === amountMinor;
      if (!ok) {
        lost++;
        if (lostExamples.length < 3) lostExamples.push(`${orderId}: ${JSON.stringify(row ?? null)}`);
      }
    }
    check(lost === 0, `every acknowledged payment (${ackedOrders.size}) is CHARGED with exactly one gateway charge: ${lost} not${lostExamples.length ? ` e.g. ${lostExamples.join('; ')}` : ''}`);

    // 3. refunds: every acknowledged refund done, and the gateway refunded exactly what Junction recorded
    const refundRows = (await db.query(`SELECT unique_request_id, status, amount FROM refunds WHERE merchant_id = $1`, [MERCHANT])).rows;
    const refundsById = new Map(refundRows.map((r) => [r.unique_request_id as string, r]));
    let refundsMissing = 0;
    for (const [uid, refund] of ackedRefunds) {
      const row = refundsById.get(uid);
      if (row?.status !== 'SUCCESS' || Number(row.amount) !== refund.amount) refundsMissing++;
    }
    check(refundsMissing === 0, `every acknowledged refund (${ackedRefunds.size}) is SUCCESS for its amount: ${refundsMissing} not`);
    // Every refund the gateway made is one of Junction's refunds (the ledger keys refunds by our
    // refund id, the idempotency key), once, for its amount; none of Junction's is FAILURE there.
    const gatewayRefunds = (
      await db.query(
        `SELECT r.key AS refund_id, (r.value->>'amount')::bigint AS amount, f.status AS ours, f.amount AS our_amount
         FROM simulator_ledger l, jsonb_each(l.entry->'refunds') r LEFT JOIN refunds f ON f.merchant_id = $1 AND f.id = r.key
        WHERE l.merchant_id = $1 AND r.value->>'status' = 'SUCCESS'`,
        [MERCHANT],
      )
    ).rows;
    const strayRefunds = gatewayRefunds.filter((r) => r.ours === null || r.ours === 'FAILURE' || Number(r.amount) !== Number(r.our_amount));
    check(
      strayRefunds.length === 0,
      `every refund the gateway made is one of Junction's, for its amount, not FAILURE: ${gatewayRefunds.length} gateway refunds, ${strayRefunds.length} not${strayRefunds.length ? ` e.g. ${JSON.stringify(strayRefunds.slice(0, 3))}` : ''}`,
    );
    const ourSuccess = (await db.query(`SELECT id FROM refunds WHERE merchant_id = $1 AND status = 'SUCCESS'`, [MERCHANT])).rows.map((r) => r.id as string);
    const atGateway = new Set(gatewayRefunds.map((r) => r.refund_id as string));
    const successNotAtGateway = ourSuccess.filter((id) => !atGateway.has(id)).length;
    check(successNotAtGateway === 0, `every SUCCESS refund of Junction's was made by the gateway: ${successNotAtGateway} not`);
    // Known gap (reported, not failed): a refund the gateway made while Junction's write of the
    // outcome failed (the instance killed, the database connection cut) stays PENDING; nothing
    // syncs refunds yet, and a retry with the same unique_request_id answers the PENDING refund.
    const stuckPending = gatewayRefunds.filter((r) => r.ours === 'PENDING').length;

    // 4. webhooks
    const outbox = (await db.query(`SELECT id, status, event_name FROM outbox_events WHERE merchant_id = $1`, [MERCHANT])).rows;
    const receivedIds = new Set(received.map((r) => r.id));
    const notDelivered = outbox.filter((e) => e.status !== 'DELIVERED').length;
    const notReceived = outbox.filter((e) => !receivedIds.has(e.id)).length;
    check(outbox.length > 0 && notDelivered === 0 && notReceived === 0, `every webhook delivered: ${outbox.length} events, ${notDelivered} not DELIVERED, ${notReceived} never received`);
    const succeededFor = new Set(received.filter((r) => r.name === 'ORDER_SUCCEEDED').map((r) => r.orderId));
    const chargedOrders = (await db.query(`SELECT order_id FROM orders WHERE merchant_id = $1 AND charged_txn_id IS NOT NULL`, [MERCHANT])).rows.map((r) => r.order_id as string);
    const chargedWithoutEvent = chargedOrders.filter((id) => !succeededFor.has(id)).length;
    check(
      chargedWithoutEvent === 0,
      `every charged order's ORDER_SUCCEEDED received (${chargedOrders.length} orders, the ${ackedOrders.size} acknowledged among them): ${chargedWithoutEvent} missing`,
    );
    const chargedNotAcked = chargedOrders.filter((id) => !ackedOrders.has(id));
    const notAckedBy = new Map<string, number>();
    for (const id of chargedNotAcked) notAckedBy.set(toldClient.get(id) ?? 'not asked', (notAckedBy.get(toldClient.get(id) ?? 'not asked') ?? 0) + 1);
    const duplicates = received.length - receivedIds.size;

    // 5. logic propagation
    const measured = activations.flatMap((a) => Object.values(a.propagationMs));
    const worst = measured.length ? Math.max(...measured) : Number.POSITIVE_INFINITY;
    check(
      activations.length >= 2 && worst <= LOGIC_BOUND_MS + LOGIC_MARGIN_MS,
      `a logic activated through the balancer is used by every live instance within ${LOGIC_BOUND_MS} ms (+${LOGIC_MARGIN_MS} ms margin): ${activations.length} activations, worst ${worst} ms`,
    );
    // ... and by the payments: every payment request sent after activation + bound (and answered
    // before the next activation) was routed by that logic: all its transactions on the logic's gateway.
    const windowOf = new Map<string, Activation>();
    for (const [orderId, t] of paymentTimes) {
      const i = activations.findIndex((a, k) => t.start >= a.at + LOGIC_BOUND_MS && (activations[k + 1] === undefined || t.end < activations[k + 1].at));
      if (i >= 0) windowOf.set(orderId, activations[i]);
    }
    const routed = (
      await db.query(
        `SELECT o.order_id, t.txn_id, t.gateway, t.created_at FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.merchant_id = $1 AND o.order_id = ANY($2::text[]) AND t.gateway IS NOT NULL`,
        [MERCHANT, [...windowOf.keys()]],
      )
    ).rows;
    const wrong = routed.filter((r) => r.gateway !== windowOf.get(r.order_id)!.gateway);
    check(
      routed.length > 0 && wrong.length === 0,
      `payments sent after activation + ${LOGIC_BOUND_MS} ms used the active logic's gateway: ${routed.length} transactions of ${windowOf.size} payments, ${wrong.length} on another gateway${wrong.length ? ` e.g. ${JSON.stringify(wrong.slice(0, 3).map((r) => ({ ...r, expected: windowOf.get(r.order_id)!.gateway, sent: new Date(paymentTimes.get(r.order_id)!.start).toISOString() })))}` : ''}`,
    );

    // 6. routing scores shared: outcomes reported to one instance, read from the others
    const scoresBefore = await Promise.all(instances.map((i) => healthOf(i.port)));
    const reports = 40;
    for (let n = 0; n < reports; n++) {
      const r = await http('POST', `http://127.0.0.1:${instances[0].port}/v1/update-gateway-score`, {
        headers: { authorization: AUTH },
        json: { gateway: 'SIM_DELTA', paymentInfo: { paymentMethodType: 'CARD' }, status: 'SUCCESS' },
      });
      if (r.status !== 200) throw new Error(`update-gateway-score: ${r.status} ${r.text}`);
    }
    await sleep(2_500); // the instances' score read cache (200 ms) and routing context (2 s)
    const scoresAfter = await Promise.all(instances.map((i) => healthOf(i.port)));
    const seen = scoresAfter.map((s, i) => s - scoresBefore[i]);
    check(
      seen.every((d) => d >= reports * 0.9),
      `routing scores shared: ${reports} outcomes reported to ${instances[0].name}; SIM_DELTA observations grew by ${seen.map((d, i) => `${instances[i].name} ${d.toFixed(1)}`).join(', ')}`,
    );
    const spread = scoresAfter.length ? Math.max(...scoresAfter) - Math.min(...scoresAfter) : 0;
    check(spread < 1, `every instance reads the same SIM_DELTA observations (${scoresAfter.map((s) => s.toFixed(1)).join(' / ')})`);
    // 7. rate limits shared: one client address spends one budget across the three instances
    const address = RATE_LIMITED_ADDRESS;
    const answers: number[] = [];
    const asks = ADDRESS_BUDGET + 30;
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < asks) {
          const n = next++;
          const r = await http('GET', `http://127.0.0.1:${instances[n % instances.length].port}/pay/ordeh_none_${n}`, { headers: { 'x-forwarded-for': address } }).catch(() => null);
          answers.push(r?.status ?? 0);
        }
      }),
    );
    const limited = answers.filter((c) => c === 429).length;
    check(
      answers.length - limited <= ADDRESS_BUDGET && limited >= 30,
      `rate limits shared: ${asks} requests without credentials from one address spread over the three instances, budget ${ADDRESS_BUDGET} a minute: ${answers.length - limited} served, ${limited} refused (429)`,
    );

    // 8. sign-in throttle shared: failures on one instance count on the others (a user of this run's own)
    const user = await http('POST', `${balancer}/admin/v1/merchants/${MERCHANT}/users`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      json: { email: SIGN_IN_EMAIL, name: 'Cluster test', role: 'VIEWER' },
    });
    if (user.status !== 201) throw new Error(`creating a user: ${user.status} ${user.text}`);
    const password = await http('PUT', `${balancer}/admin/v1/merchants/${MERCHANT}/users/password`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      json: { email: SIGN_IN_EMAIL, password: `cluster-password-${tag}` },
    });
    if (password.status !== 204) throw new Error(`setting a password: ${password.status} ${password.text}`);
    const login = (i: number, secret: string) =>
      http('POST', `http://127.0.0.1:${instances[i % instances.length].port}/v1/auth/login`, {
        headers: { 'x-forwarded-for': SIGN_IN_ADDRESS },
        json: { email: SIGN_IN_EMAIL, password: secret },
      });
    const failures: number[] = [];
    for (let i = 0; i < 6; i++) failures.push((await login(i, `wrong-password-${i}`)).status);
    const afterFailures = await login(2, `cluster-password-${tag}`);
    // Each instance saw at most two of the attempts: a throttle of its own would refuse none.
    check(
      failures.slice(0, 5).every((c) => c === 401) && failures[5] === 429 && afterFailures.status === 429,
      `sign-in throttle shared: 6 wrong passwords for one email from one address, spread over the three instances: ${failures.join(',')}, then the right password on ${instances[2].name}: ${afterFailures.status} (the pair's budget is 5 failures: 401 x5, then 429)`,
    );

    check(victimServed.status === 200, `the restarted instance ${victim.name} serves requests (order status: HTTP ${victimServed.status})`);
    const dead = instances.filter((i) => !i.child || i.child.proc.exitCode !== null || i.child.proc.signalCode !== null).map((i) => i.name);
    check(dead.length === 0, `no instance died besides the one killed: ${dead.length ? dead.join(', ') : 'none'}`);

    // ---- figures
    figure('load', `${(loadMs / 1000).toFixed(1)} s, ${WORKERS} clients`);
    figure('orders created', counts.orders);
    figure('payments driven', counts.payments);
    figure('acknowledged (HTTP 200 CHARGED)', counts.acked);
    figure('declined (HTTP 200, not charged)', counts.declined);
    figure('other answers (4xx/5xx, e.g. order busy after a retry)', counts.otherAnswers);
    figure('client-visible failures (no answer or 502-504), all retried', `${counts.infraFailures} (${counts.infraFailures - infraAtKill} from the kill on)`);
    figure('requests answered on a retry after such a failure', counts.retriedAfterFailure);
    figure('refunds asked / acknowledged', `${counts.refundsAsked} / ${counts.refundsAcked}`);
    figure('refunds the gateway made that Junction still shows PENDING when the load stopped (the refund sync asks them again once 30 s old)', stuckPending);
    if (RESTART_BOUNCER)
      figure(
        'PgBouncer restart',
        `down ${bouncerDownMs} ms; ${counts.otherAnswers - otherBeforeBouncer} error answers and ${counts.infraFailures - failuresBeforeBouncer} client-visible failures from then on`,
      );
    figure('killed instance back in rotation', `${restartedHealthyMs} ms after restart (killed ${((killedAt - loadStart) / 1000).toFixed(1)} s into the load)`);
    figure('transactions unsettled when the load stopped', `${unsettledAtEnd}, all settled after ${settleMs} ms`);
    figure(
      'orders charged without an acknowledgement (settled by the status sync, merchant told by webhook), by what the client was told',
      `${chargedNotAcked.length}${chargedNotAcked.length ? `: ${[...notAckedBy].map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}`,
    );
    figure('webhooks', `${outbox.length} events; all delivered ${webhookMs} ms after settling; ${received.length} deliveries received (${duplicates} repeats, deduplicated by event id)`);
    figure(
      'logic activations',
      `${activations.length}; propagation per instance (ms): ${activations
        .map((a) =>
          Object.entries(a.propagationMs)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
        )
        .join(' | ')}`,
    );
    figure('logic propagation worst / stated bound', `${worst} ms / ${LOGIC_BOUND_MS} ms (checked with +${LOGIC_MARGIN_MS} ms margin)`);
    figure('whole run', `${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await db.end().catch(() => undefined);
  }
  console.log('\n== figures');
  for (const [name, value] of figures) console.log(`  ${name}: ${value}`);
  for (const example of otherExamples) console.log(`  other answer: ${example}`);
  return violations.length === 0 ? 0 : 1;
}

async function healthOf(port: number): Promise<number> {
  const r = await http('GET', `http://127.0.0.1:${port}/v1/routing/health`, { headers: { authorization: AUTH } });
  if (r.status !== 200) throw new Error(`routing health on ${port}: ${r.status} ${r.text}`);
  const g = (r.json.gateways as Array<any>).find((x) => x.gateway === 'SIM_DELTA');
  return Number(g?.observations ?? 0);
}

async function cleanUp(): Promise<void> {
  // Instances first (they drain through PgBouncer), then the balancer and PgBouncer.
  await Promise.all(
    instances.map(async (instance) => {
      if (instance.child) await stop(instance.child, 10_000);
    }),
  );
  await stopAll();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  if (dbCreated) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((e: Error) => console.error(`dropping ${DB_NAME}: ${e.message}`));
    await admin.end();
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    // The sign-in throttle's and the rate limiter's keys of this run's own email and addresses.
    const throttle = throttleKeys(SIGN_IN_EMAIL, SIGN_IN_ADDRESS);
    await redis.del(`junction:${throttle.pair}`, `junction:${throttle.email}`, `junction:${throttle.address}`, `junction:rl:addr:${RATE_LIMITED_ADDRESS}`, `junction:rl:addr:${SIGN_IN_ADDRESS}`);
    for (const pattern of [`junction:sr:${MERCHANT}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } catch (error) {
    console.error(`cleaning Redis: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
  if (distDir) rmSync(distDir, { recursive: true, force: true });
  if (tmp && !process.env.CLUSTER_KEEP_FILES) rmSync(tmp, { recursive: true, force: true });
}

process.on('exit', killAllNow);
process.on('unhandledRejection', (error) => {
  console.error(`unexpected: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 2;
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the cluster`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let code = 2;
try {
  code = await main();
} catch (error) {
  console.error(`\ncluster test could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  for (const instance of instances) console.error(`\n--- ${instance.name} log (tail)\n${tail(instance.log)}`);
  if (tmp) console.error(`\n--- pgbouncer log (tail)\n${tail(join(tmp, 'pgbouncer.log'))}\n--- haproxy log (tail)\n${tail(join(tmp, 'haproxy.log'))}`);
  code = 2;
}
if (code === 1) {
  console.error(`\n${violations.length} propert${violations.length === 1 ? 'y' : 'ies'} violated:`);
  for (const v of violations) console.error(`  - ${v}`);
  for (const instance of instances) console.error(`\n--- ${instance.name} log (tail)\n${tail(instance.log, 15)}`);
}
await cleanUp();
const unclean = instances.filter((i) => i.child && i.child.proc.exitCode !== 0).map((i) => `${i.name} (exit ${i.child?.proc.exitCode}, signal ${i.child?.proc.signalCode})`);
if (unclean.length && code !== 2) {
  console.error(`FAIL instances that did not stop cleanly on SIGTERM: ${unclean.join(', ')}`);
  code = 1;
}
console.log(code === 0 ? '\ncluster test passed' : `\ncluster test failed (exit ${code})`);
process.exit(code);
