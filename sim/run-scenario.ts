// One run of one scenario with one seed: every policy routes the same payments, and the outcome
// of payment i on gateway g is drawn once with the simulator's own `drawOutcome`, from a stream
// seeded by (seed, i, g) — common random numbers, so differences between policies are the
// policies', not the dice's.
import {
  activeOutage,
  createRng,
  drawLatency,
  pickWeighted,
  successProbability,
  successProbabilitySource,
  type DrawContext,
  type DrawnOutcome,
  type Rng,
  type SimulatorProfile,
} from '../src/connectors/simulator/simulator-profile.ts';
import { lookupSimulatorStatus, SIMULATOR_DRAWN_FAILURE_CODES } from '../src/connectors/simulator/transformers.ts';
import { createScoringPolicy, createSrV3Policy, SR_V3_RESET_FACTORS, type RoutingPolicy, type ScoringConfig, type Segment } from '../src/routing/scoring/index.ts';
import { INFORMED_PRIOR, InformedPolicy, type InformedTicket, type InformedView } from './informed-policy.ts';
import { GATEWAYS, HARD_DECLINE_SHARE, INCUMBENTS, isHeldOutSeed, isLive, MEAN_INTERARRIVAL_MS, T0, type Phase, type Scenario, type SimGateway } from './scenarios.ts';

// 'informed' is a reference, not a contender: it is told the cells' grouping and every change (see
// informed-policy.ts). It comes after 'ours' so the other policies' decision streams are unchanged.
export const POLICY_NAMES = ['static', 'round-robin', 'best-hindsight', 'sr-v3', 'ours', 'informed', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
export const LEARNING: PolicyName[] = ['sr-v3', 'ours'];

/** The scored outcome of one attempt, as the status table classifies it. */
interface Attempt {
  success: boolean;
  countsAgainstGateway: boolean;
  retryable: boolean;
  /** Delay until the outcome is known (latency, or settlement for pending payments). */
  delayMs: number;
}

export interface SeriesPoint {
  /** Cumulative first-attempt success rate at the end of this bucket. */
  cumulativeSuccess: number;
  /** Share of the event gateway among this bucket's decisions in the affected segment (NaN if none). */
  eventShare: number;
}

export interface PolicyRunResult {
  payments: number;
  successes: number;
  successesWithRetry: number;
  /** Sum over payments of the true success probability of the chosen gateway. */
  expectedSuccess: number;
  /** Expected regret (points) against the oracle, whole run and second half. */
  regretPp: number;
  regretSecondHalfPp: number;
  alarms: number;
  /**
   * Reference (same for every policy of a run): expected regret, in points, of picking uniformly
   * between each payment's two truly best gateways, i.e. of knowing everything except which of
   * the two is better.
   */
  topTwoCoinFlipPp: number;
  /** The policy was using the event gateway before the event (>= 30% share), so detection applies. */
  detectApplicable: boolean;
  detectOutcomes: number | null;
  /** First-attempt outcomes on the event gateway (all traffic) from the event's start until detection. */
  detectGatewayOutcomes: number | null;
  detectSeconds: number | null;
  recoverSeconds: number | null;
  /**
   * Seconds after the gateway is healthy again until the policy's share of it over the next
   * RECOVER_WINDOW affected decisions is within 10 points of its own steady share (its share in
   * the last 20% of the run): recovery speed without the steady-state accuracy `recoverSeconds`
   * also demands.
   */
  recoverOwnSeconds: number | null;
  /** The same as `recoverOwnSeconds`, in affected-segment decisions after the gateway's return. */
  recoverOwnOutcomes: number | null;
  /**
   * Scenarios with an event that ends: each gateway's share of the first attempts made while the
   * event lasted (issue 13, finding 2: where an outage's traffic went). Null otherwise.
   */
  eventWindowShare: Record<string, number> | null;
  /** Scenarios with fees: mean fee paid above the oracle's choice (cheapest of the best), bps. */
  feeExcessBps: number;
  series: SeriesPoint[];
}

export interface RunOptions {
  payments: number;
  seed: number;
  buckets?: number;
  /**
   * Overrides of our policy's configuration (ablations and tuning; the published run uses the
   * defaults). Refused on held-out seeds: tuning happens on TUNING_SEEDS only.
   */
  oursConfig?: Partial<ScoringConfig>;
}

const RETRY_STREAM = 0x5bd1e995;

function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One authorisation draw with per-card hard declines: like the simulator's `drawOutcome` (three
 * numbers from `rng`, none in an outage), except that a card that hard-declines does so on every
 * gateway (same code), and otherwise the gateway succeeds with p / (1 - hard) (at most 1) and
 * fails with its non-hard failure mix. The true success probability is then min(p, 1 - hard).
 */
function drawOnCard(profile: SimulatorProfile, context: DrawContext, rng: Rng, nowMs: number, card: { hard: number; declines: boolean; u: number }): DrawnOutcome {
  const outage = activeOutage(profile, context, nowMs);
  if (outage) return { result: 'OUTAGE', mode: outage.mode };
  const u1 = rng.next();
  const u2 = rng.next();
  const u3 = rng.next();
  if (card.declines) return { result: 'FAILURE', kind: 'HARD_DECLINE', u: card.u };
  if (u1 < Math.min(1, successProbability(profile, context) / (1 - card.hard))) return { result: 'SUCCESS' };
  const { SOFT_DECLINE, TECHNICAL_ERROR, TIMEOUT } = profile.failureMix;
  const kind = SOFT_DECLINE + TECHNICAL_ERROR + TIMEOUT > 0 ? pickWeighted({ SOFT_DECLINE, TECHNICAL_ERROR, TIMEOUT }, u2) : 'TECHNICAL_ERROR';
  if (kind === 'TIMEOUT') return { result: 'TIMEOUT', charged: u3 < profile.timeoutChargedProbability };
  return { result: 'FAILURE', kind, u: u3 };
}

/** The card's hard-decline probability in a cell: HARD_DECLINE_SHARE of the best incumbent's failure rate at the start. */
function hardDeclineProbability(scenario: Scenario, context: DrawContext): number {
  const profiles = scenario.phases[0].profiles;
  const best = Math.max(...INCUMBENTS.map((gateway) => successProbability(profiles[gateway], context)));
  return HARD_DECLINE_SHARE * (1 - best);
}

const CARD_STREAM = 0x3c6ef372;

/** Classifies a draw with the simulator's status table (the same codes the live simulator answers). */
function classify(drawn: DrawnOutcome): Omit<Attempt, 'delayMs'> {
  if (drawn.result === 'SUCCESS') return { success: true, countsAgainstGateway: false, retryable: false };
  let code: string;
  if (drawn.result === 'FAILURE') {
    const codes = SIMULATOR_DRAWN_FAILURE_CODES[drawn.kind];
    code = codes[Math.min(codes.length - 1, Math.floor(drawn.u * codes.length))];
  } else if (drawn.result === 'TIMEOUT') code = 'TIMEOUT';
  else code = drawn.mode === 'DOWN' ? 'GW_DOWN' : 'TIMEOUT';
  const entry = lookupSimulatorStatus(code);
  return { success: false, countsAgainstGateway: entry.countsAgainstGateway, retryable: entry.retryable };
}

function pickCell(traffic: Scenario['traffic'], u: number): DrawContext {
  let rest = u;
  for (const cell of traffic) {
    rest -= cell.weight;
    if (rest < 0) return cell.context;
  }
  return traffic[traffic.length - 1].context;
}

function segmentOf(context: DrawContext): Segment {
  return { paymentMethodType: context.paymentMethodType, paymentMethod: context.paymentMethod, cardBrand: context.cardBrand, issuer: context.issuer, currency: 'INR' };
}

interface Payment {
  atMs: number;
  context: DrawContext;
  segment: Segment;
  affected: boolean;
  /** Per gateway (GATEWAYS order): true success probability now (0 if not live), and the drawn attempt. */
  p: number[];
  /** Per gateway: can be routed to now (PG_E only after its arrival). */
  live: boolean[];
  attempts: Attempt[];
  /** What the informed reference is told about this payment. */
  view: InformedView;
}

/** Min-heap of pending feedback by arrival time. */
class FeedbackQueue<T> {
  private readonly items: { at: number; value: T }[] = [];
  push(at: number, value: T): void {
    const items = this.items;
    items.push({ at, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].at <= items[i].at) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }
  popUntil(at: number, visit: (value: T, at: number) => void): void {
    const items = this.items;
    while (items.length > 0 && items[0].at <= at) {
      const top = items[0];
      const last = items.pop()!;
      if (items.length > 0) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < items.length && items[l].at < items[m].at) m = l;
          if (r < items.length && items[r].at < items[m].at) m = r;
          if (m === i) break;
          [items[m], items[i]] = [items[i], items[m]];
          i = m;
        }
      }
      visit(top.value, top.at);
    }
  }
}

function profilesAt(phases: Phase[], relMs: number, hint: { index: number }): Record<SimGateway, SimulatorProfile> {
  while (hint.index + 1 < phases.length && phases[hint.index + 1].fromMs <= relMs) hint.index++;
  return phases[hint.index].profiles;
}

/** Draws the whole run's payments and every gateway's outcome for each (shared by all policies). */
export function drawPayments(scenario: Scenario, options: RunOptions): Payment[] {
  const trafficRng = createRng(mix(options.seed, 0xabcdef, 1));
  const hint = { index: 0 };
  const payments: Payment[] = [];
  let rel = 0;
  // The event gateway's affected segment: cells the event touches where it is the best before.
  const before = scenario.event ? profilesAt(scenario.phases, Math.max(0, scenario.event.startMs - 1), { index: 0 }) : null;
  const hardByCell = new Map<DrawContext, number>();
  for (let i = 0; i < options.payments; i++) {
    rel += -Math.log(1 - trafficRng.next()) * MEAN_INTERARRIVAL_MS;
    const atMs = T0 + Math.round(rel);
    const context = pickCell(scenario.traffic, trafficRng.next());
    const profiles = profilesAt(scenario.phases, atMs - T0, hint);
    let hard = hardByCell.get(context);
    if (hard === undefined) {
      hard = hardDeclineProbability(scenario, context);
      hardByCell.set(context, hard);
    }
    // The card: drawn once per payment, the same on every gateway.
    const cardRng = createRng(mix(options.seed, i, CARD_STREAM));
    const card = { hard, declines: cardRng.next() < hard, u: cardRng.next() };
    const p: number[] = [];
    const live: boolean[] = [];
    const attempts: Attempt[] = [];
    const source: string[] = [];
    const down: boolean[] = [];
    for (let g = 0; g < GATEWAYS.length; g++) {
      const profile = profiles[GATEWAYS[g]];
      const isUp = isLive(scenario, GATEWAYS[g], atMs - T0);
      const inOutage = !isUp || activeOutage(profile, context, atMs) !== undefined;
      live.push(isUp);
      p.push(inOutage ? 0 : Math.min(successProbability(profile, context), 1 - hard));
      source.push(successProbabilitySource(profile, context));
      down.push(inOutage);
      const outcomeRng: Rng = createRng(mix(options.seed, i, g));
      const sideRng: Rng = createRng(mix(options.seed, i, g + RETRY_STREAM));
      const drawn = drawOnCard(profile, context, outcomeRng, atMs, card);
      const latency = drawLatency(profile, sideRng);
      const pending = drawn.result !== 'OUTAGE' && sideRng.next() < profile.pendingProbability;
      attempts.push({ ...classify(drawn), delayMs: pending ? profile.settleAfterMs : latency });
    }
    let affected = false;
    if (scenario.event && before && scenario.event.affects(context)) {
      const eventP = successProbability(before[scenario.event.gateway], context);
      affected = INCUMBENTS.every((gw) => gw === scenario.event!.gateway || successProbability(before[gw], context) < eventP);
    }
    payments.push({ atMs, context, segment: segmentOf(context), affected, p, live, attempts, view: { source, rate: p, down } });
  }
  return payments;
}

type Chooser = (payment: Payment, index: number) => { order: number[]; learner?: RoutingPolicy };

function argsortDesc(values: number[]): number[] {
  return values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
}

/** Runs every policy over the same payments. */
export function runScenario(scenario: Scenario, options: RunOptions): Record<PolicyName, PolicyRunResult> {
  if (options.oursConfig !== undefined && isHeldOutSeed(options.seed)) {
    throw new Error(`seed ${options.seed} is held out: tune (oursConfig) on TUNING_SEEDS only`);
  }
  const payments = drawPayments(scenario, options);
  const n = payments.length;
  const buckets = options.buckets ?? 50;
  const K = GATEWAYS.length;
  const gatewayIndex = new Map<string, number>(GATEWAYS.map((g, i) => [g, i]));
  const fee = (g: number): number => scenario.fees?.[GATEWAYS[g]] ?? 0;
  // Only live gateways can be tried (PG_E before its arrival, or outside its scenario, is not).
  const liveOnly = (order: number[], payment: Payment): number[] => order.filter((g) => payment.live[g]);

  // Best single gateway in hindsight: the most realised first-attempt successes over the run.
  const totals = new Array<number>(K).fill(0);
  for (const payment of payments) for (let g = 0; g < K; g++) if (payment.live[g] && payment.attempts[g].success) totals[g]++;
  const hindsightOrder = argsortDesc(totals);

  const results = {} as Record<PolicyName, PolicyRunResult>;
  // The oracle: the best live gateway; among equally good ones, the cheapest.
  const oracleOrder = (payment: Payment): number[] =>
    liveOnly(
      payment.p.map((_, i) => i).sort((a, b) => payment.p[b] - payment.p[a] || fee(a) - fee(b) || a - b),
      payment,
    );
  const oracleExpected: number[] = payments.map((payment) => payment.p[oracleOrder(payment)[0]]);
  const oracleChoice: number[] = payments.map((payment) => oracleOrder(payment)[0]);
  let topTwoGap = 0;
  for (const payment of payments) {
    const sorted = oracleOrder(payment);
    topTwoGap += 0.5 * (payment.p[sorted[0]] - payment.p[sorted[1]]);
  }
  const topTwoCoinFlipPp = (100 * topTwoGap) / n;

  for (const name of POLICY_NAMES) {
    const decisionRng = createRng(mix(options.seed, 0x1234567, POLICY_NAMES.indexOf(name)));
    let learner: RoutingPolicy | undefined;
    if (name === 'ours') {
      // A merchant who configures fees also sets the documented cost tolerance (half a point).
      const fees = scenario.fees
        ? { fees: Object.fromEntries(Object.entries(scenario.fees).map(([gateway, bps]) => [gateway, { default: { fixedMinor: 0, percentBps: bps ?? 0 } }])), costTolerance: 0.005 }
        : {};
      learner = createScoringPolicy({ config: { ...fees, ...options.oursConfig } });
    }
    // SIM_SR_V3_RESET=on runs the baseline with the engine's optional reset (its default factors);
    // the published benchmark runs the engine's default, reset off.
    if (name === 'sr-v3') learner = createSrV3Policy(process.env.SIM_SR_V3_RESET === 'on' ? { reset: SR_V3_RESET_FACTORS } : {});
    const informed = name === 'informed' ? new InformedPolicy(undefined, INFORMED_PRIOR) : undefined;
    const queue = new FeedbackQueue<{ gateway: number; payment: Payment; attempt: Attempt; ticket?: InformedTicket }>();
    let alarms = 0;
    const deliver = (now: number): void => {
      if (learner) {
        const l = learner;
        queue.popUntil(now, ({ gateway, payment, attempt }, at) => {
          alarms += l.record({ gateway: GATEWAYS[gateway], segment: payment.segment, success: attempt.success, countsAgainstGateway: attempt.countsAgainstGateway, atMillis: at }).alarms;
        });
      } else if (informed) queue.popUntil(now, ({ attempt, ticket }) => informed.record(ticket!, attempt.success));
    };
    const learns = learner !== undefined || informed !== undefined;
    const feedback = (gateway: number, payment: Payment, attempt: Attempt): { gateway: number; payment: Payment; attempt: Attempt; ticket?: InformedTicket } =>
      informed ? { gateway, payment, attempt, ticket: informed.ticket(gateway, payment.view) } : { gateway, payment, attempt };

    const choose: Chooser = (payment, i) => {
      switch (name) {
        case 'static':
          return {
            order: liveOnly(
              GATEWAYS.map((_, g) => g),
              payment,
            ),
          };
        case 'round-robin': {
          const live = liveOnly(
            GATEWAYS.map((_, g) => g),
            payment,
          );
          return { order: live.map((_, k) => live[(i + k) % live.length]) };
        }
        case 'best-hindsight':
          return { order: liveOnly(hindsightOrder, payment) };
        case 'oracle':
          return { order: oracleOrder(payment) };
        case 'informed':
          return { order: liveOnly(informed!.rank(payment.view, decisionRng), payment) };
        default: {
          const candidates = GATEWAYS.filter((_, g) => payment.live[g]);
          const ranked = learner!.rank({
            candidates,
            mode: 'WITHIN_LOGIC',
            allEligible: candidates,
            enforced: false,
            segment: payment.segment,
            nowMillis: payment.atMs,
            rng: decisionRng,
          });
          return { order: ranked.gateways.map((g) => gatewayIndex.get(g)!), learner };
        }
      }
    };

    let successes = 0;
    let successesWithRetry = 0;
    let expected = 0;
    let regret = 0;
    let regretSecondHalf = 0;
    let feeExcess = 0;
    const eventGateway = scenario.event ? gatewayIndex.get(scenario.event.gateway)! : -1;
    const eventAttempts: number[] = [];
    const series: SeriesPoint[] = [];
    let bucketAffected = 0;
    let bucketEvent = 0;
    const affectedLog: { atMs: number; chosen: boolean; oracle: boolean }[] = [];
    const windowFrom = scenario.event?.endMs !== undefined && scenario.event.endMs > scenario.event.startMs ? T0 + scenario.event.startMs : Infinity;
    const windowUntil = scenario.event?.endMs !== undefined ? T0 + scenario.event.endMs : -Infinity;
    const windowCounts = new Array<number>(K).fill(0);
    for (let i = 0; i < n; i++) {
      const payment = payments[i];
      deliver(payment.atMs);
      const { order } = choose(payment, i);
      const first = order[0];
      const attempt = payment.attempts[first];
      if (learns) queue.push(payment.atMs + attempt.delayMs, feedback(first, payment, attempt));
      if (attempt.success) {
        successes++;
        successesWithRetry++;
      } else if (attempt.retryable && order.length > 1) {
        const second = order[1];
        const retry = payment.attempts[second];
        if (retry.success) successesWithRetry++;
        if (learns) queue.push(payment.atMs + attempt.delayMs + retry.delayMs, feedback(second, payment, retry));
      }
      expected += payment.p[first];
      feeExcess += fee(first) - fee(oracleChoice[i]);
      if (first === eventGateway) eventAttempts.push(payment.atMs);
      if (payment.atMs >= windowFrom && payment.atMs < windowUntil) windowCounts[first]++;
      const r = oracleExpected[i] - payment.p[first];
      regret += r;
      if (i >= n / 2) regretSecondHalf += r;
      if (payment.affected) {
        const eventIndex = gatewayIndex.get(scenario.event!.gateway)!;
        bucketAffected++;
        if (first === eventIndex) bucketEvent++;
        affectedLog.push({ atMs: payment.atMs, chosen: first === eventIndex, oracle: oracleChoice[i] === eventIndex });
      }
      if ((i + 1) % Math.max(1, Math.floor(n / buckets)) === 0 && series.length < buckets) {
        series.push({ cumulativeSuccess: successes / (i + 1), eventShare: bucketAffected > 0 ? bucketEvent / bucketAffected : NaN });
        bucketAffected = 0;
        bucketEvent = 0;
      }
    }

    const { detectApplicable, detectOutcomes, detectSeconds, recoverSeconds, recoverOwnSeconds, recoverOwnOutcomes } = detectAndRecover(
      scenario,
      affectedLog,
      payments[Math.floor(0.8 * n)]?.atMs ?? Infinity,
    );
    let detectGatewayOutcomes: number | null = null;
    if (scenario.event && detectSeconds !== null) {
      const from = T0 + scenario.event.startMs;
      const until = from + detectSeconds * 1000;
      detectGatewayOutcomes = eventAttempts.filter((at) => at >= from && at < until).length;
    }
    results[name] = {
      payments: n,
      successes,
      successesWithRetry,
      expectedSuccess: expected,
      regretPp: (100 * regret) / n,
      regretSecondHalfPp: (100 * regretSecondHalf) / (n - Math.ceil(n / 2)),
      alarms,
      topTwoCoinFlipPp,
      detectApplicable,
      detectOutcomes,
      detectGatewayOutcomes,
      detectSeconds,
      recoverSeconds,
      recoverOwnSeconds,
      recoverOwnOutcomes,
      feeExcessBps: feeExcess / n,
      eventWindowShare: windowShare(windowCounts),
      series,
    };
  }
  return results;
}

function windowShare(counts: number[]): Record<string, number> | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  return Object.fromEntries(GATEWAYS.map((g, i) => [g, counts[i] / total]));
}

const DETECT_WINDOW = 20;
const RECOVER_WINDOW = 50;

/**
 * Time to detect: affected-segment decisions after the event starts until the event gateway's
 * share of the next DETECT_WINDOW such decisions falls below 10% (outcomes it got until then,
 * and seconds). Time to recover: seconds after the event ends until the policy's share of the
 * next RECOVER_WINDOW decisions is within 10 points of the oracle's.
 */
function detectAndRecover(
  scenario: Scenario,
  log: { atMs: number; chosen: boolean; oracle: boolean }[],
  steadyFromMs: number,
): {
  detectApplicable: boolean;
  detectOutcomes: number | null;
  detectSeconds: number | null;
  recoverSeconds: number | null;
  recoverOwnSeconds: number | null;
  recoverOwnOutcomes: number | null;
} {
  const event = scenario.event;
  if (!event) return { detectApplicable: false, detectOutcomes: null, detectSeconds: null, recoverSeconds: null, recoverOwnSeconds: null, recoverOwnOutcomes: null };
  const start = T0 + event.startMs;
  let detectOutcomes: number | null = null;
  let detectSeconds: number | null = null;
  // Detection only means something where the policy was using the gateway: at least 30% of the
  // last 50 affected decisions before the event.
  const prior = log.filter((entry) => entry.atMs < start).slice(-50);
  const inUse = prior.length > 0 && prior.filter((entry) => entry.chosen).length / prior.length >= 0.3;
  if (event.startMs > 0 && inUse) {
    const after = log.filter((entry) => entry.atMs >= start && (event.endMs === undefined || entry.atMs < T0 + event.endMs));
    let routed = 0;
    for (let j = 0; j + DETECT_WINDOW <= after.length; j++) {
      let share = 0;
      for (let k = j; k < j + DETECT_WINDOW; k++) if (after[k].chosen) share++;
      if (share / DETECT_WINDOW < 0.1) {
        detectOutcomes = routed;
        detectSeconds = (after[j].atMs - start) / 1000;
        break;
      }
      if (after[j].chosen) routed++;
    }
  }
  let recoverSeconds: number | null = null;
  if (event.endMs !== undefined) {
    const end = T0 + event.endMs;
    const after = log.filter((entry) => entry.atMs >= end);
    for (let j = 0; j + RECOVER_WINDOW <= after.length; j++) {
      let policy = 0;
      let oracle = 0;
      for (let k = j; k < j + RECOVER_WINDOW; k++) {
        if (after[k].chosen) policy++;
        if (after[k].oracle) oracle++;
      }
      if (Math.abs(policy - oracle) / RECOVER_WINDOW <= 0.1) {
        recoverSeconds = (after[j].atMs - end) / 1000;
        break;
      }
    }
  }
  let recoverOwnSeconds: number | null = null;
  let recoverOwnOutcomes: number | null = null;
  if (event.endMs !== undefined) {
    const end = T0 + event.endMs;
    const steady = log.filter((entry) => entry.atMs >= steadyFromMs);
    const steadyShare = steady.length > 0 ? steady.filter((entry) => entry.chosen).length / steady.length : NaN;
    const after = log.filter((entry) => entry.atMs >= end);
    if (Number.isFinite(steadyShare) && steadyFromMs > end) {
      for (let j = 0; j + RECOVER_WINDOW <= after.length; j++) {
        let policy = 0;
        for (let k = j; k < j + RECOVER_WINDOW; k++) if (after[k].chosen) policy++;
        if (policy / RECOVER_WINDOW >= steadyShare - 0.1) {
          recoverOwnSeconds = (after[j].atMs - end) / 1000;
          recoverOwnOutcomes = j;
          break;
        }
      }
    }
  }
  return { detectApplicable: event.startMs > 0 && inUse, detectOutcomes, detectSeconds, recoverSeconds, recoverOwnSeconds, recoverOwnOutcomes };
}
