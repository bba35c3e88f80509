// Live demo of intelligent routing: against a running Junction (the demo merchant, key in
// DEMO_API_KEY), send card payments continuously, take SIM_ALPHA down through the simulator's
// control API, and print each second's traffic share per gateway (first attempt) as a text chart
// while traffic moves away and, after the outage ends, comes back.
//   DEMO_API_KEY=... tsx scripts/demo-outage.ts [baseUrl]   (default http://127.0.0.1:8080)
// Env: DEMO_SECONDS (60), DEMO_OUTAGE_AT (15), DEMO_OUTAGE_FOR (20), DEMO_CONCURRENCY (4),
// DEMO_RANKING_MODE (WITHIN_LOGIC; OFF shows the default mode, where only health reorders).
// It changes exactly two routing settings, ranking_mode (DEMO_RANKING_MODE) and max_attempts (3,
// so the fallback saves the attempts that hit the outage), and restores them at the end. Health
// thresholds, exploration and probes stay at their defaults (exploration 1%, probes 2%).

const base = (process.argv[2] ?? process.env.JUNCTION_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const apiKey = process.env.DEMO_API_KEY;
if (!apiKey) {
  console.error("Set DEMO_API_KEY to the demo merchant's API key (the server prints it at start, or start it with DEMO_API_KEY set).");
  process.exit(2);
}
const SECONDS = Number(process.env.DEMO_SECONDS ?? 60);
const OUTAGE_AT = Number(process.env.DEMO_OUTAGE_AT ?? 15);
const OUTAGE_FOR = Number(process.env.DEMO_OUTAGE_FOR ?? 20);
const CONCURRENCY = Number(process.env.DEMO_CONCURRENCY ?? 4);
const RANKING_MODE = process.env.DEMO_RANKING_MODE ?? 'WITHIN_LOGIC';
const TARGET = 'SIM_ALPHA';
const auth = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

async function call(method: string, path: string, body?: unknown, form = false): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: auth };
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    payload = form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { body: text };
  }
  return { status: response.status, json };
}

interface Second {
  byGateway: Map<string, number>;
  charged: number;
  total: number;
}
const seconds: Second[] = [];
const started = Date.now();
const secondOf = () => Math.floor((Date.now() - started) / 1000);
const bucket = (s: number): Second => (seconds[s] ??= { byGateway: new Map(), charged: 0, total: 0 });

let sequence = 0;
async function onePayment(): Promise<void> {
  const orderId = `demo_${started.toString(36)}_${++sequence}`;
  const order = await call('POST', '/orders', { order_id: orderId, amount: '100.00', currency: 'INR' }, true);
  if (order.status !== 200) throw new Error(`order: ${order.status} ${JSON.stringify(order.json)}`);
  const txn = await call(
    'POST',
    '/txns',
    {
      order_id: orderId,
      payment_method_type: 'CARD',
      payment_method: 'VISA',
      card_number: '4111111111111111',
      card_exp_month: '12',
      card_exp_year: '2031',
      card_security_code: '123',
      format: 'json',
    },
    true,
  );
  const status = await call('GET', `/orders/${orderId}`);
  const routing = (status.json.routing ?? {}) as { ranking?: { gateways?: Array<{ gateway: string }> }; decided_gateway?: string };
  // The first attempt's gateway: the head of the ranked decision (a fallback may charge on another).
  const first = routing.ranking?.gateways?.[0]?.gateway ?? routing.decided_gateway ?? 'NONE';
  const b = bucket(secondOf());
  b.total++;
  if (txn.json.status === 'CHARGED') b.charged++;
  b.byGateway.set(first, (b.byGateway.get(first) ?? 0) + 1);
}

const GATEWAYS = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'];
const MARKS: Record<string, string> = { SIM_ALPHA: 'A', SIM_BETA: 'B', SIM_GAMMA: 'G', SIM_DELTA: 'D' };

function chartLine(s: number, phase: string): string {
  const b = seconds[s] ?? { byGateway: new Map<string, number>(), charged: 0, total: 0 };
  const width = 40;
  let bar = '';
  for (const g of GATEWAYS) bar += MARKS[g]!.repeat(Math.round(((b.byGateway.get(g) ?? 0) / Math.max(1, b.total)) * width));
  bar = bar.padEnd(width, ' ').slice(0, width);
  const shares = GATEWAYS.map((g) => `${MARKS[g]} ${String(Math.round((100 * (b.byGateway.get(g) ?? 0)) / Math.max(1, b.total))).padStart(3)}%`).join('  ');
  return `${String(s).padStart(3)}s ${phase.padEnd(8)} |${bar}| ${shares}  ok ${b.charged}/${b.total}`;
}

async function main(): Promise<void> {
  const original = await call('GET', '/v1/routing/settings');
  if (original.status !== 200) throw new Error(`cannot read routing settings: ${original.status} ${JSON.stringify(original.json)}`);
  const set = await call('PUT', '/v1/routing/settings', { ranking_mode: RANKING_MODE, max_attempts: 3 });
  if (set.status !== 200) throw new Error(`cannot change routing settings: ${set.status} ${JSON.stringify(set.json)}`);
  // A clean start: every simulated gateway healthy, and a clear best gateway (so that traffic has
  // somewhere to come back to): SIM_ALPHA 97%, the others 80-88%, all fast. Restored at the end.
  const profiles = await call('GET', '/simulator/gateways');
  const DEMO_RATES: Record<string, number> = { SIM_ALPHA: 0.97, SIM_BETA: 0.88, SIM_GAMMA: 0.84, SIM_DELTA: 0.8 };
  for (const g of GATEWAYS) {
    await call('DELETE', `/simulator/gateways/${g}/outages`);
    await call('PATCH', `/simulator/gateways/${g}`, { baseSuccessRate: DEMO_RATES[g], latency: { fixedMs: 20, jitterMs: 20 }, pendingProbability: 0 });
  }

  console.log(`Junction at ${base}: ${SECONDS} s of card payments, ${TARGET} down from ${OUTAGE_AT}s to ${OUTAGE_AT + OUTAGE_FOR}s.`);
  console.log(`Routing settings: ranking_mode ${RANKING_MODE}, max_attempts 3; everything else at the merchant's values (defaults: exploration 1%, probes 2%).`);
  console.log(`Legend: ${GATEWAYS.map((g) => `${MARKS[g]}=${g}`).join(' ')}; each line is one second's first-attempt traffic share.\n`);
  let outageOn = false;
  let outageDone = false;
  let stop = false;
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    while (!stop) {
      try {
        await onePayment();
      } catch (error) {
        console.error(String(error));
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
  let printed = 0;
  while (secondOf() < SECONDS) {
    await new Promise((r) => setTimeout(r, 100));
    const s = secondOf();
    if (!outageOn && !outageDone && s >= OUTAGE_AT) {
      const r = await call('POST', `/simulator/gateways/${TARGET}/outages`, { mode: 'DOWN' });
      console.log(`---- ${TARGET} goes DOWN (simulator outage ${r.status === 201 ? 'started' : `failed: ${r.status}`}) ----`);
      outageOn = true;
    }
    if (outageOn && s >= OUTAGE_AT + OUTAGE_FOR) {
      await call('DELETE', `/simulator/gateways/${TARGET}/outages`);
      console.log(`---- ${TARGET} is back ----`);
      outageOn = false;
      outageDone = true;
    }
    while (printed < s) {
      const phase = printed < OUTAGE_AT ? 'before' : printed < OUTAGE_AT + OUTAGE_FOR ? 'OUTAGE' : 'after';
      console.log(chartLine(printed, phase));
      printed++;
    }
  }
  stop = true;
  await Promise.all(workers);
  if (outageOn) await call('DELETE', `/simulator/gateways/${TARGET}/outages`);
  const health = await call('GET', '/v1/routing/health');
  console.log('\nHealth now:', JSON.stringify((health.json.gateways as unknown[] | undefined) ?? health.json));
  const saved = (profiles.json.gateways ?? profiles.json) as Record<string, unknown>;
  for (const g of GATEWAYS) if (saved[g]) await call('PUT', `/simulator/gateways/${g}`, saved[g]);
  const o = original.json;
  await call('PUT', '/v1/routing/settings', { ranking_mode: o.ranking_mode, max_attempts: o.max_attempts });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
