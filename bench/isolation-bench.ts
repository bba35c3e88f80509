// Tenant isolation benchmark (issue 10): does one merchant's hostile code slow another merchant?
//
// One Junction on PGlite, served over HTTP, two merchants:
//   A (the demo merchant): its active code logic is a catch-and-retry recursion that the in-VM
//     deadline cannot stop; during "abuse" rounds A also pays in a loop and four of A's editors
//     dry-run hostile codes in a loop (catch-and-retry, an allocation storm, a busy loop, 1,000
//     nested parentheses);
//   B: an ordinary merchant whose active logic is a small code logic.
// Measured: B's whole-payment latency (POST /orders + POST /txns) and GET /health latency, in
// alternating rounds (so drift in the machine's load hits all alike), reported as ratios of the
// same run. The baseline for the goal ("B's p99 with A's abuse at most 1.5x B's p99 without it")
// is the same traffic from A with benign code (A's active logic and dry runs are ordinary code):
// what differs is only that A's code is hostile, not how many requests A sends. Rounds with A
// silent are measured too and reported beside it. And the cost of a trivial code logic on B's payment path:
// the same payments with B's active logic a DEFAULT logic instead, again in alternating rounds.
//
//   tsx bench/isolation-bench.ts      (also part of npm run bench)
// Environment: ISO_ROUNDS (default 4), ISO_ROUND_SECONDS (5), ISO_CONCURRENCY (2, B's payment
// loops), ISO_DRYRUN_GAP_MS (100: each editor waits this long between dry runs; hostile code that
// is refused at once would otherwise turn the loop into a request flood, which is the rate
// limiter's business, not the sandbox's), ISO_NICENESS (unset: the pool's default, no nice value).
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildApp, type Junction } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDb } from '../src/storage/db.ts';
import { formatTable, listen } from './payment-bench.ts';

const A_MERCHANT = 'iso_merchant_a';
const A_KEY = 'iso_key_a_0123456789abcdef';
const A_TOKENS = { admin: 'iso_a_admin_token_0001', editor: 'iso_a_editor_token_0001', approver: 'iso_a_approver_token_0001', viewer: 'iso_a_viewer_token_0001' };
const ADMIN_KEY = 'iso-bench-admin-key';
const CATCH_RETRY = 'function f(){try{return f()}catch(e){return f()}} f();';
const HOSTILE = [CATCH_RETRY, 'var a=[]; while(true){ a.push(new Array(100000).join("x")); }', 'while (true) {}', `setGatewayPriority(["SIM_ALPHA" + ${'('.repeat(1000)}1${')'.repeat(1000)}]);`];
const BENIGN = 'if (order.amount > 50000) setGatewayPriority(["SIM_BETA"]); else setGatewayPriority(["SIM_ALPHA"]);';
const B_CODE = 'if (order.amount > 50000) setGatewayPriority(["SIM_ALPHA", "SIM_BETA"]);\nelse setGatewayPriority(["SIM_BETA", "SIM_ALPHA"]);';

// The load generator runs in worker threads (plain JavaScript), so clients do not compete with the
// server's event loop for it. Modes: 'pay' (order + card txn, latency per payment), 'health'
// (GET /health every 20 ms), 'dryrun' (hostile dry runs in a loop), each until `stopAt`.
const DRIVER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, mode, authorization, merchantId, concurrency, stopAt, prefix, codes, gapMs } = workerData;
const latencies = [];
let errors = 0;
let firstError = null;
const form = { authorization, 'content-type': 'application/x-www-form-urlencoded', version: '2023-06-30' };
const card = 'payment_method_type=CARD&payment_method=VISA&card_number=4111111111111111&card_exp_month=12&card_exp_year=2031&card_security_code=123&format=json';
let n = 0;
async function once(i) {
  const t0 = performance.now();
  if (mode === 'pay') {
    const orderId = prefix + (n++).toString(36);
    const o = await fetch(baseUrl + '/orders', { method: 'POST', headers: form, body: 'order_id=' + orderId + '&amount=100.00&currency=INR' });
    const ot = await o.text();
    if (o.status !== 200) throw new Error('order ' + o.status + ' ' + ot.slice(0, 200));
    const t = await fetch(baseUrl + '/txns', { method: 'POST', headers: form, body: 'order_id=' + orderId + '&merchant_id=' + merchantId + '&' + card });
    const tt = await t.text();
    if (t.status !== 200 || JSON.parse(tt).status !== 'CHARGED') throw new Error('txn ' + t.status + ' ' + tt.slice(0, 200));
  } else if (mode === 'health') {
    const h = await fetch(baseUrl + '/health');
    await h.text();
    if (h.status !== 200) throw new Error('health ' + h.status);
  } else {
    const code = codes[(n++ + i) % codes.length];
    const r = await fetch(baseUrl + '/v1/priority-logics/dry-run', {
      method: 'POST', headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ logic: { name: 'probe', kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code } }, payment: { amount: 100 } }),
    });
    await r.text();
    if (r.status >= 500) throw new Error('dry run ' + r.status);
  }
  latencies.push(performance.now() - t0);
}
(async () => {
  const loops = Array.from({ length: concurrency }, async (_, i) => {
    while (Date.now() < stopAt) {
      try { await once(i); } catch (e) { errors++; if (firstError === null) firstError = String(e && e.message || e); }
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    }
  });
  await Promise.all(loops);
  parentPort.postMessage({ latencies, errors, firstError });
})();
`;

interface Driven {
  latencies: number[];
  errors: number;
  firstError: string | null;
}

function drive(workerData: Record<string, unknown>): Promise<Driven> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(DRIVER, { eval: true, workerData });
    worker.once('message', (m: Driven) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

async function json(j: Junction, method: 'GET' | 'POST', url: string, auth: string, body?: unknown): Promise<Record<string, any>> {
  const r = await j.app.inject({
    method,
    url,
    headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as Record<string, any>;
}

async function act(j: Junction, auth: string, id: string, action: string): Promise<void> {
  const logic = await json(j, 'GET', `/v1/priority-logics/${id}`, auth);
  await json(j, 'POST', `/v1/priority-logics/${id}/${action}`, auth, { version: logic.row_version });
}

/** Creates a logic and makes it the merchant's active one (code logics approved by `approver`). */
async function activate(j: Junction, admin: string, approver: string, body: Record<string, unknown>): Promise<string> {
  const logic = await json(j, 'POST', '/v1/priority-logics', admin, body);
  if (logic.status === 'PENDING_APPROVAL') await act(j, approver, logic.id as string, 'approve');
  const routing = await json(j, 'GET', '/v1/priority-logics/routing', admin);
  if (routing.active_logic_id) await act(j, admin, routing.active_logic_id as string, 'deactivate');
  await act(j, admin, logic.id as string, 'activate');
  return logic.id as string;
}

async function user(j: Junction, merchantId: string, role: string): Promise<string> {
  const created = await json(j, 'POST', `/admin/v1/merchants/${merchantId}/users`, `Bearer ${ADMIN_KEY}`, {
    email: `${role.toLowerCase()}_${randomBytes(3).toString('hex')}@example.com`,
    name: role,
    role,
  });
  return `Bearer ${created.token as string}`;
}

export interface IsolationBenchResult {
  settings: { rounds: number; roundSeconds: number; concurrency: number; dryRunGapMs: number; workers: number };
  idle: { p50: number; p99: number; payments: number };
  quiet: { p50: number; p99: number; payments: number; healthP99: number };
  abuse: { p50: number; p99: number; payments: number; healthP99: number; healthMax: number; aPayments: number; dryRuns: number };
  p99Ratio: number;
  p99RatioPerRound: number[];
  codeCost: { codeP50: number; defaultP50: number; addedP50Ms: number; codeP99: number; defaultP99: number };
  pool: ReturnType<Junction['sandbox']['stats']>;
  errors: string[];
}

export async function runIsolationBench(): Promise<IsolationBenchResult> {
  const env = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
  const settings = { rounds: env('ISO_ROUNDS', 4), roundSeconds: env('ISO_ROUND_SECONDS', 5), concurrency: env('ISO_CONCURRENCY', 2), dryRunGapMs: env('ISO_DRYRUN_GAP_MS', 100), workers: 2 };
  const config: Config = {
    ...loadConfig({}),
    logLevel: 'silent',
    publicBaseUrl: 'http://127.0.0.1:8080',
    adminApiKey: ADMIN_KEY,
    databaseUrl: undefined,
    demo: { enabled: true, merchantId: A_MERCHANT, apiKey: A_KEY, userTokens: A_TOKENS, userPasswords: false, intelligentRouting: false },
    sandbox: { workers: 2, deadlineMs: 50, niceness: process.env.ISO_NICENESS ? Number(process.env.ISO_NICENESS) : null },
  };
  const db = await openDb({ dataDir: 'memory://' });
  const j = await buildApp(config, { db, logger: false, simulatorSeed: 3 });
  const errors: string[] = [];
  try {
    // Merchant B with its own key, users, and two simulated gateways.
    const bId = 'iso_merchant_b';
    await j.merchants.createMerchant({ id: bId, name: 'Merchant B' });
    const bKey = (await j.merchants.createApiKey(bId, 'bench')).key;
    for (const [gateway, priority] of [
      ['SIM_ALPHA', 10],
      ['SIM_BETA', 20],
    ] as const) {
      await j.merchants.createGatewayAccount(bId, {
        gateway,
        priority,
        enabled: true,
        currencies: [],
        paymentMethodTypes: ['CARD'],
        credentials: { api_key: `sim_${randomBytes(6).toString('hex')}`, webhook_secret: `whsec_${randomBytes(6).toString('hex')}` },
      });
    }
    for (const merchant of [A_MERCHANT, bId]) {
      for (const gateway of ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA']) {
        j.simulator.forMerchant(merchant).patchProfile(gateway, { baseSuccessRate: 1, latency: { fixedMs: 0, jitterMs: 0 }, pendingProbability: 0, outages: [] });
      }
    }
    const bAdmin = await user(j, bId, 'ADMIN');
    const bApprover = await user(j, bId, 'APPROVER');
    const aAdmin = `Bearer ${A_TOKENS.admin}`;
    const aEditors = [A_TOKENS.admin, A_TOKENS.editor, A_TOKENS.admin, A_TOKENS.editor].map((t) => `Bearer ${t}`);
    const bCode = await activate(j, bAdmin, bApprover, { name: 'B code', kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: B_CODE } });
    const bDefault = await json(j, 'POST', '/v1/priority-logics', bAdmin, { name: 'B default', kind: 'DEFAULT', defaultGateways: [{ gateway: 'SIM_BETA' }, { gateway: 'SIM_ALPHA' }] });
    const baseUrl = await listen(j.app);
    const bAuth = basic(bKey);

    const aHostile = await activate(j, aAdmin, `Bearer ${A_TOKENS.approver}`, { name: 'A hostile', kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: CATCH_RETRY } });
    const aBenign = await activate(j, aAdmin, `Bearer ${A_TOKENS.approver}`, { name: 'A benign', kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code: BENIGN } });
    let aActive = aBenign;
    const aUses = async (id: string): Promise<void> => {
      if (aActive === id) return;
      await act(j, aAdmin, aActive, 'deactivate');
      await act(j, aAdmin, id, 'activate');
      aActive = id;
    };

    /** One round: B pays and /health is probed; A is 'idle', or sends the same traffic with 'benign' or 'hostile' code. */
    const round = async (tag: string, a: 'idle' | 'benign' | 'hostile') => {
      if (a !== 'idle') await aUses(a === 'hostile' ? aHostile : aBenign);
      const stopAt = Date.now() + settings.roundSeconds * 1000;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const cpu = process.cpuUsage();
      const codes = a === 'hostile' ? HOSTILE : [BENIGN];
      const abusers =
        a !== 'idle'
          ? [
              drive({ baseUrl, mode: 'pay', authorization: basic(A_KEY), merchantId: A_MERCHANT, concurrency: 1, stopAt, prefix: `a${tag}_` }),
              ...aEditors.map((authorization, i) =>
                drive({
                  baseUrl,
                  mode: 'dryrun',
                  authorization,
                  concurrency: 1,
                  stopAt,
                  prefix: '',
                  gapMs: settings.dryRunGapMs,
                  codes: codes.slice(i % codes.length).concat(codes.slice(0, i % codes.length)),
                }),
              ),
            ]
          : [];
      const [b, health, ...others] = await Promise.all([
        drive({ baseUrl, mode: 'pay', authorization: bAuth, merchantId: bId, concurrency: settings.concurrency, stopAt, prefix: `b${tag}_` }),
        drive({ baseUrl, mode: 'health', concurrency: 1, stopAt, prefix: '', gapMs: 20 }),
        ...abusers,
      ]);
      loop.disable();
      const used = process.cpuUsage(cpu);
      if (process.env.ISO_DEBUG)
        console.error(
          `${tag}: loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)} ms; process cpu ${((used.user + used.system) / 1e6).toFixed(2)} s; B p99 ${quantile(b!.latencies, 0.99).toFixed(1)} health p99 ${quantile(health!.latencies, 0.99).toFixed(1)}; kills ${j.sandbox.stats().kills}`,
        );
      for (const d of [b!, health!]) if (d.errors > 0) errors.push(`${tag}: ${d.errors} errors, first: ${d.firstError}`);
      return { b: b!, health: health!, aPayments: others[0]?.latencies.length ?? 0, dryRuns: others.slice(1).reduce((s, d) => s + d.latencies.length, 0) };
    };

    // Warm-up: the pool's workers start, the programs compile in them.
    await round('warm', 'hostile');
    const idle: Driven[] = [];
    const quiet: Driven[] = [];
    const quietHealth: number[] = [];
    const loud: Driven[] = [];
    const loudHealth: number[] = [];
    let aPayments = 0;
    let dryRuns = 0;
    const perRound: number[] = [];
    for (let r = 0; r < settings.rounds; r++) {
      idle.push((await round(`i${r}`, 'idle')).b);
      const q = await round(`q${r}`, 'benign');
      const l = await round(`l${r}`, 'hostile');
      quiet.push(q.b);
      quietHealth.push(...q.health.latencies);
      loud.push(l.b);
      loudHealth.push(...l.health.latencies);
      aPayments += l.aPayments;
      dryRuns += l.dryRuns;
      perRound.push(quantile(l.b.latencies, 0.99) / quantile(q.b.latencies, 0.99));
    }
    const idleLat = idle.flatMap((d) => d.latencies);
    const quietLat = quiet.flatMap((d) => d.latencies);
    const loudLat = loud.flatMap((d) => d.latencies);

    // Cost of a trivial code logic: B's payments with its code logic vs a DEFAULT logic, alternating.
    const codeLat: number[] = [];
    const defaultLat: number[] = [];
    for (let r = 0; r < settings.rounds; r++) {
      await act(j, bAdmin, bCode, 'deactivate');
      await act(j, bAdmin, bDefault.id as string, 'activate');
      defaultLat.push(...(await round(`d${r}`, 'idle')).b.latencies);
      await act(j, bAdmin, bDefault.id as string, 'deactivate');
      await act(j, bAdmin, bCode, 'activate');
      codeLat.push(...(await round(`c${r}`, 'idle')).b.latencies);
    }

    return {
      settings,
      idle: { p50: quantile(idleLat, 0.5), p99: quantile(idleLat, 0.99), payments: idleLat.length },
      quiet: { p50: quantile(quietLat, 0.5), p99: quantile(quietLat, 0.99), payments: quietLat.length, healthP99: quantile(quietHealth, 0.99) },
      abuse: { p50: quantile(loudLat, 0.5), p99: quantile(loudLat, 0.99), payments: loudLat.length, healthP99: quantile(loudHealth, 0.99), healthMax: Math.max(...loudHealth), aPayments, dryRuns },
      p99Ratio: quantile(loudLat, 0.99) / quantile(quietLat, 0.99),
      p99RatioPerRound: perRound,
      codeCost: {
        codeP50: quantile(codeLat, 0.5),
        defaultP50: quantile(defaultLat, 0.5),
        addedP50Ms: quantile(codeLat, 0.5) - quantile(defaultLat, 0.5),
        codeP99: quantile(codeLat, 0.99),
        defaultP99: quantile(defaultLat, 0.99),
      },
      pool: j.sandbox.stats(),
      errors,
    };
  } finally {
    await j.close();
    await db.close();
  }
}

export function formatIsolationBench(r: IsolationBenchResult): string {
  const f = (n: number): string => n.toFixed(1);
  const lines = [
    `settings: PGlite, ${r.settings.rounds} alternating rounds of ${r.settings.roundSeconds} s, B at concurrency ${r.settings.concurrency}, A paying at concurrency 1 on its hostile logic, 4 A editors each dry-running hostile code every ${r.settings.dryRunGapMs} ms, pool of ${r.settings.workers} workers`,
    formatTable(
      ['merchant B', 'payments', 'p50 ms', 'p99 ms', '/health p99 ms'],
      [
        ['A silent', String(r.idle.payments), f(r.idle.p50), f(r.idle.p99), ''],
        ['A, benign code', String(r.quiet.payments), f(r.quiet.p50), f(r.quiet.p99), f(r.quiet.healthP99)],
        ['A, hostile code', String(r.abuse.payments), f(r.abuse.p50), f(r.abuse.p99), f(r.abuse.healthP99)],
      ],
    ),
    `B payment p99, A hostile / A benign (same traffic): ${r.p99Ratio.toFixed(2)}x (goal <= 1.5x); per round: ${r.p99RatioPerRound.map((x) => x.toFixed(2)).join(', ')}; A hostile / A silent: ${(r.abuse.p99 / r.idle.p99).toFixed(2)}x`,
    `/health p99 under abuse: ${f(r.abuse.healthP99)} ms (goal < 100 ms), max ${f(r.abuse.healthMax)} ms`,
    `A during abuse: ${r.abuse.aPayments} payments (on its default gateways), ${r.abuse.dryRuns} hostile dry runs answered`,
    `pool: kills ${r.pool.kills}, replaced ${r.pool.replaced}, rejected ${r.pool.rejected}, completed ${r.pool.completed}, most workers held by one merchant ${r.pool.maxHeldByOneTenant}`,
    `trivial code logic on B's payment path: p50 ${f(r.codeCost.codeP50)} ms vs ${f(r.codeCost.defaultP50)} ms with a DEFAULT logic (added ${r.codeCost.addedP50Ms.toFixed(2)} ms); p99 ${f(r.codeCost.codeP99)} vs ${f(r.codeCost.defaultP99)} ms`,
  ];
  if (r.errors.length > 0) lines.push(`errors: ${r.errors.join('; ')}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatIsolationBench(await runIsolationBench()));
  process.exit(0);
}
