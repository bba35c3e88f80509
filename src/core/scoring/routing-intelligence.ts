// Routing intelligence in the running service: per merchant, success-rate scores (one store per
// merchant: in process, or Redis), ranking of a routing decision (one store read per decision),
// feedback from every settled attempt, the health read model and scheduled outages.
// Pure scoring lives in src/routing/scoring; this is the glue that knows merchants and payments.
import {
  armKey,
  armKeys,
  armKeysForDecision,
  applyFeedback,
  classifyHealth,
  estimateChain,
  inScheduledOutage,
  rankGateways,
  scoringConfig,
  type ArmStats,
  type FeedbackResult,
  type GatewayFees,
  type Health,
  type OutcomeFeedback,
  type RankingMode,
  type ScoringConfig,
  type Segment,
  type UniformRng,
} from '../../routing/scoring/index.ts';
import { invalidField, missingField, notFound } from '../errors.ts';
import type { Txn } from '../payments/types.ts';
import type { RankedGateway, RankingRecord } from '../../routing/index.ts';
import type { RoutedGateway, RoutingDecision, RoutingInput } from '../ports/router.ts';
import { intelligenceOf, type IntelligenceSettings, type RoutingSettings } from '../routing-settings.ts';
import { gatewayFeesFrom } from './fees.ts';
import type { ScheduledOutageRecord, ScheduledOutageStore, ScoreStoreFactory } from './ports.ts';
import { segmentOfRequest, segmentOfTxn, segmentToWire } from './segment.ts';

export interface FeeAccount {
  accountId: string;
  gateway: string;
  enabled: boolean;
  fees: Readonly<Record<string, number>>;
}

export interface RoutingIntelligenceDeps {
  stores: ScoreStoreFactory;
  settings(merchantId: string): Promise<RoutingSettings>;
  /** The merchant's gateway accounts (fees, and the gateways the health view lists). */
  accounts(merchantId: string): Promise<readonly FeeAccount[]>;
  outages: ScheduledOutageStore;
  /** The gateway status table: does this failure count against the gateway? */
  classifyFailure?: (gateway: string, rawCode: string) => Promise<{ countsAgainstGateway: boolean } | null>;
  /** Base scoring configuration (tests and the benchmark tune it); merchant settings override parts. */
  config?: Partial<ScoringConfig>;
  now?: () => number;
  rng?: UniformRng;
  /** How long a merchant's settings, fees and outages are reused (local changes drop them at once). */
  contextTtlMs?: number;
  /** Called after a scheduled outage was added or deleted here (app.ts tells the other instances). */
  onChange?: (merchantId: string) => void;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface RankOptions {
  /** The logic's ranking mode; null: the merchant's default (routing settings). */
  mode: RankingMode | null;
  /** Every eligible account, one per gateway, for ALL_ELIGIBLE (in the default order). */
  eligible: readonly RoutedGateway[];
  /** Forces a mode (decide-gateway API). */
  override?: RankingMode;
}

export interface GatewayHealthView {
  gateway: string;
  health: Health;
  mean: number;
  evidence: number;
  observations: number;
  last_alarm_at: string | null;
  alarms: number;
  scheduled_outage: boolean;
}

export interface RoutingIntelligence {
  /** Reorders a decision's gateways by score (never widens an enforced list) and records why. */
  rankDecision(request: RoutingInput, decision: RoutingDecision, options: RankOptions): Promise<RoutingDecision>;
  /** Feedback from one outcome on a gateway. */
  record(merchantId: string, outcome: OutcomeFeedback): Promise<FeedbackResult>;
  /** Feedback from a settled attempt (payment service's onOutcome); failures are logged, never thrown. */
  onTxnSettled(txn: Txn): void;
  /** Resolves when every feedback started so far has been applied (tests, shutdown). */
  idle(): Promise<void>;
  health(merchantId: string, segment: Segment | null): Promise<{ gateways: GatewayHealthView[]; thresholds: { down_below: number; fluctuate_below: number } }>;
  listOutages(merchantId: string): Promise<ScheduledOutageRecord[]>;
  createOutage(merchantId: string, body: unknown): Promise<ScheduledOutageRecord>;
  deleteOutage(merchantId: string, id: string): Promise<void>;
  /** Drops cached settings, fees and outages of a merchant. */
  invalidate(merchantId: string): void;
  /** Forgets every score of a merchant (tests, operator reset). */
  reset(merchantId: string): Promise<void>;
  close(): Promise<void>;
}

interface MerchantContext {
  at: number;
  settings: IntelligenceSettings;
  config: ScoringConfig;
  /** Fee model per account id (accounts without fees absent). */
  feesByAccount: Map<string, GatewayFees>;
  gateways: string[];
  outages: ScheduledOutageRecord[];
}

const SUCCESS_STATUSES = new Set(['CHARGED', 'AUTHORIZED']);
const FAILURE_STATUSES = new Set(['AUTHORIZATION_FAILED', 'AUTHENTICATION_FAILED']);
const PAYMENT_METHOD_TYPE = /^[A-Z_]{2,32}$/;
const GATEWAY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_OUTAGE_MS = 31 * 24 * 3600 * 1000;

export function createRoutingIntelligence(deps: RoutingIntelligenceDeps): RoutingIntelligence {
  const now = deps.now ?? Date.now;
  const rng: UniformRng = deps.rng ?? { next: Math.random };
  const ttl = deps.contextTtlMs ?? 2_000;
  const base = scoringConfig(deps.config);
  const contexts = new Map<string, Promise<MerchantContext>>();
  const pending = new Set<Promise<unknown>>();
  const log = deps.log ?? (() => undefined);

  async function loadContext(merchantId: string): Promise<MerchantContext> {
    const [routing, accounts, outages] = await Promise.all([deps.settings(merchantId), deps.accounts(merchantId), deps.outages.list(merchantId, new Date(now()))]);
    const settings = intelligenceOf(routing);
    const feesByAccount = new Map<string, GatewayFees>();
    for (const a of accounts) {
      const fees = gatewayFeesFrom(a.fees);
      if (fees) feesByAccount.set(a.accountId, fees);
    }
    const config = scoringConfig({
      ...deps.config,
      health: { ...base.health, downBelow: settings.healthDownBelow, fluctuateBelow: settings.healthFluctuateBelow },
      exploration: { floor: settings.explorationPercent / 100, probe: settings.probePercent / 100 },
      costTolerance: settings.costTolerancePoints / 100,
      scheduledOutages: outages.map((o) => ({ gateway: o.gateway, startMs: o.startAt.getTime(), endMs: o.endAt.getTime(), ...(o.paymentMethodType ? { paymentMethodType: o.paymentMethodType } : {}) })),
      fees: {},
    });
    const gateways = [...new Set(accounts.filter((a) => a.enabled).map((a) => a.gateway))];
    return { at: now(), settings, config, feesByAccount, gateways, outages };
  }

  function context(merchantId: string): Promise<MerchantContext> {
    const cached = contexts.get(merchantId);
    if (cached) return cached;
    const loading = loadContext(merchantId);
    contexts.set(merchantId, loading);
    loading.then(
      (c) => setTimeout(() => { if (contexts.get(merchantId) === loading) contexts.delete(merchantId); }, Math.max(0, ttl - (now() - c.at))).unref(),
      () => { if (contexts.get(merchantId) === loading) contexts.delete(merchantId); },
    );
    return loading;
  }

  /** The config of one decision: the merchant's, with the fees of the accounts this decision would use. */
  function decisionConfig(ctx: MerchantContext, accounts: readonly RoutedGateway[]): ScoringConfig {
    if (ctx.feesByAccount.size === 0) return ctx.config;
    const fees: Record<string, GatewayFees> = {};
    for (const a of accounts) {
      const f = ctx.feesByAccount.get(a.accountId);
      if (f && !(a.gateway in fees)) fees[a.gateway] = f;
    }
    return { ...ctx.config, fees };
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    const done = () => pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  async function record(merchantId: string, outcome: OutcomeFeedback): Promise<FeedbackResult> {
    let result: FeedbackResult = { counted: false, alarms: 0 };
    if (!outcome.success && !outcome.countsAgainstGateway) return result;
    const ctx = await context(merchantId);
    const config = ctx.config;
    await deps.stores.forMerchant(merchantId).update(armKeys(outcome.gateway, outcome.segment, config), (arms) => {
      result = applyFeedback(arms, outcome, config);
      return arms;
    });
    return result;
  }

  async function feedbackOf(txn: Txn): Promise<OutcomeFeedback | null> {
    if (!txn.gateway) return null;
    const success = SUCCESS_STATUSES.has(txn.status);
    if (!success && !FAILURE_STATUSES.has(txn.status)) return null;
    let counts = false;
    if (!success) {
      const row = deps.classifyFailure && txn.gatewayCode ? await deps.classifyFailure(txn.gateway, txn.gatewayCode) : null;
      // Unlisted codes: shopper-side failures (authentication, user errors) never count; the rest do.
      counts = row ? row.countsAgainstGateway : txn.status !== 'AUTHENTICATION_FAILED' && txn.errorCategory !== 'USER_ERROR' && txn.errorCategory !== 'USER_DROPPED';
    }
    return { gateway: txn.gateway, segment: segmentOfTxn(txn), success, countsAgainstGateway: counts, atMillis: now() };
  }

  /**
   * Ranking OFF: the logic's order, with DOWN gateways (and those in a scheduled outage) moved
   * behind the healthy ones and probed now and then (`rankGateways` in mode OFF). Never widens
   * the list, never removes a gateway. `applied` stays false (no ranking by score); `health_applied`
   * says the order changed for health.
   */
  async function healthOrdered(request: RoutingInput, decision: RoutingDecision, ctx: MerchantContext, segment: Segment, recordOf: (ranking: RankingRecord) => RoutingDecision): Promise<RoutingDecision> {
    const byGateway = new Map<string, RoutedGateway[]>();
    for (const g of decision.gateways) {
      const list = byGateway.get(g.gateway);
      if (list) list.push(g);
      else byGateway.set(g.gateway, [g]);
    }
    const candidates = [...byGateway.keys()];
    const config = ctx.config;
    const stats = await deps.stores.forMerchant(request.merchantId).get(armKeysForDecision(candidates, segment, config));
    const result = rankGateways({ candidates, mode: 'OFF', allEligible: candidates, enforced: decision.enforced, segment, nowMillis: request.nowMillis, rng, config, stats });
    const changed = result.gateways.some((g, i) => g !== candidates[i]);
    const labelOf = new Map(result.scores.map((s) => [s.gateway, s]));
    const label = (g: RoutedGateway): RankedGateway => {
      const s = labelOf.get(g.gateway);
      return s && s.label !== 'DEFAULT' ? { gateway: g.gateway, accountId: g.accountId, label: s.label, mean: round(s.mean), health: s.health } : { gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' };
    };
    if (!changed) return recordOf({ mode: 'OFF', applied: false, gateways: decision.gateways.map(label) });
    const gateways: RoutedGateway[] = [];
    for (const name of result.gateways) gateways.push(...(byGateway.get(name) ?? []));
    return {
      gateways,
      enforced: decision.enforced,
      record: {
        ...decision.record,
        decidedGateway: gateways[0]?.gateway ?? null,
        accountIds: gateways.map((g) => g.accountId),
        ranking: { mode: 'OFF', applied: false, healthApplied: true, explored: result.explored, logicOrder: candidates, gateways: gateways.map(label) },
      },
    };
  }

  return {
    async rankDecision(request, decision, options) {
      const ctx = await context(request.merchantId);
      const mode: RankingMode = options.override ?? options.mode ?? ctx.settings.rankingMode;
      const segment: Segment = segmentOfRequest(request);
      const recordOf = (ranking: RankingRecord): RoutingDecision => ({ ...decision, record: { ...decision.record, ranking } });
      if (decision.gateways.length === 0) return recordOf({ mode, applied: false, reason: 'NO_GATEWAY' });
      if (request.preferredGateway && decision.gateways[0]?.gateway === request.preferredGateway && options.override === undefined) {
        return recordOf({ mode, applied: false, reason: 'PREFERRED_GATEWAY', gateways: decision.gateways.map((g) => ({ gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' })) });
      }
      if (mode === 'OFF') return healthOrdered(request, decision, ctx, segment, recordOf);

      // Accounts by gateway, in the decision's order; ALL_ELIGIBLE may add the other eligible accounts (never to an enforced list).
      const byGateway = new Map<string, RoutedGateway[]>();
      for (const g of decision.gateways) {
        const list = byGateway.get(g.gateway);
        if (list) list.push(g);
        else byGateway.set(g.gateway, [g]);
      }
      const candidates = [...byGateway.keys()];
      const widen = mode === 'ALL_ELIGIBLE' && !decision.enforced;
      const extra = widen ? options.eligible.filter((e) => !byGateway.has(e.gateway)) : [];
      const allEligible = widen ? [...candidates, ...extra.map((e) => e.gateway)] : candidates;
      for (const e of extra) if (!byGateway.has(e.gateway)) byGateway.set(e.gateway, [e]);

      const accounts = [...byGateway.values()].map((l) => l[0]!);
      const config = decisionConfig(ctx, accounts);
      const store = deps.stores.forMerchant(request.merchantId);
      const stats = await store.get(armKeysForDecision(allEligible, segment, config)); // the one read of this decision
      const result = rankGateways({ candidates, mode, allEligible, enforced: decision.enforced, segment, nowMillis: request.nowMillis, rng, config, stats });

      const gateways: RoutedGateway[] = [];
      for (const name of result.gateways) gateways.push(...(byGateway.get(name) ?? []));
      const scoreOf = new Map(result.scores.map((s) => [s.gateway, s]));
      return {
        gateways,
        enforced: decision.enforced,
        record: {
          ...decision.record,
          decidedGateway: gateways[0]?.gateway ?? null,
          accountIds: gateways.map((g) => g.accountId),
          ranking: {
            mode,
            applied: true,
            explored: result.explored,
            segment: segmentToWire(segment),
            logicOrder: decision.gateways.map((g) => g.gateway),
            gateways: gateways.map((g): RankedGateway => {
              const s = scoreOf.get(g.gateway);
              return s
                ? { gateway: g.gateway, accountId: g.accountId, label: s.label, score: round(s.score), mean: round(s.mean), health: s.health, evidence: round(s.evidence), feeMinor: s.feeMinor === null ? null : round(s.feeMinor) }
                : { gateway: g.gateway, accountId: g.accountId, label: 'DEFAULT' };
            }),
          },
        },
      };
    },

    record: (merchantId, outcome) => track(record(merchantId, outcome)),

    onTxnSettled(txn) {
      track(
        (async () => {
          const feedback = await feedbackOf(txn);
          if (feedback) await record(txn.merchantId, feedback);
        })(),
      ).catch((error: unknown) => log('routing feedback failed', { txn: txn.txnId, err: error instanceof Error ? error.message : String(error) }));
    },

    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },

    async health(merchantId, segment) {
      const ctx = await context(merchantId);
      const config = ctx.config;
      const t = now();
      // Gateway-wide: the coarsest level only; with a segment: the levels that segment names.
      let depth = 1;
      if (segment !== null) while (depth < config.levels.length && config.levels[depth]!.every((f) => segment[f] != null)) depth++;
      const keys: string[] = [];
      for (const gateway of ctx.gateways) for (let level = 0; level < depth; level++) keys.push(armKey(gateway, segment ?? { paymentMethodType: '-' }, level, config));
      const stats = await deps.stores.forMerchant(merchantId).get(keys);
      const gateways = ctx.gateways.map((gateway): GatewayHealthView => {
        const chain: (ArmStats | undefined)[] = [];
        for (let level = 0; level < depth; level++) chain.push(stats[armKey(gateway, segment ?? { paymentMethodType: '-' }, level, config)]);
        const estimate = estimateChain(chain, t, config);
        const scheduled = inScheduledOutage(gateway, segment ?? { paymentMethodType: '\u0000' }, t, { ...config, scheduledOutages: config.scheduledOutages.filter((o) => segment !== null || o.paymentMethodType === undefined) });
        const finest = chain[chain.length - 1];
        const alarms = chain.reduce((n, a) => Math.max(n, a?.a ?? 0), 0);
        return {
          gateway,
          health: scheduled ? 'DOWN' : classifyHealth(estimate.mean, estimate.lastResetMs, t, config),
          mean: round(estimate.mean),
          evidence: round(estimate.evidence),
          observations: round(finest ? finest.s + finest.f : 0),
          last_alarm_at: estimate.lastResetMs > 0 ? new Date(estimate.lastResetMs).toISOString() : null,
          alarms,
          scheduled_outage: scheduled,
        };
      });
      return { gateways, thresholds: { down_below: config.health.downBelow, fluctuate_below: config.health.fluctuateBelow } };
    },

    async listOutages(merchantId) {
      return deps.outages.list(merchantId);
    },

    async createOutage(merchantId, body) {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
      const b = body as Record<string, unknown>;
      for (const key of Object.keys(b)) if (!['gateway', 'start', 'end', 'payment_method_type'].includes(key)) throw invalidField(key, 'is not a scheduled outage field');
      if (b.gateway === undefined) throw missingField('gateway');
      if (typeof b.gateway !== 'string' || !GATEWAY_NAME.test(b.gateway)) throw invalidField('gateway', 'must be a gateway name');
      const ctx = await context(merchantId);
      if (!ctx.gateways.includes(b.gateway)) throw invalidField('gateway', 'is not one of the merchant\'s enabled gateways');
      const start = dateField(b, 'start');
      const end = dateField(b, 'end');
      if (end.getTime() <= start.getTime()) throw invalidField('end', 'must be after start');
      if (end.getTime() - start.getTime() > MAX_OUTAGE_MS) throw invalidField('end', 'an outage lasts at most 31 days');
      if (end.getTime() <= now()) throw invalidField('end', 'must be in the future');
      let paymentMethodType: string | null = null;
      if (b.payment_method_type !== undefined && b.payment_method_type !== null) {
        if (typeof b.payment_method_type !== 'string' || !PAYMENT_METHOD_TYPE.test(b.payment_method_type)) throw invalidField('payment_method_type', 'must be a payment method type such as CARD or UPI');
        paymentMethodType = b.payment_method_type;
      }
      const id = `so_${Math.random().toString(36).slice(2, 10)}${now().toString(36)}`;
      const created = await deps.outages.insert({ id, merchantId, gateway: b.gateway, startAt: start, endAt: end, paymentMethodType });
      contexts.delete(merchantId);
      deps.onChange?.(merchantId);
      return created;
    },

    async deleteOutage(merchantId, id) {
      if (!(await deps.outages.delete(merchantId, id))) throw notFound('Scheduled outage');
      contexts.delete(merchantId);
      deps.onChange?.(merchantId);
    },

    invalidate(merchantId) {
      contexts.delete(merchantId);
    },

    async reset(merchantId) {
      await Promise.allSettled([...pending]);
      contexts.delete(merchantId);
      await deps.stores.reset(merchantId);
    },

    async close() {
      await Promise.allSettled([...pending]);
      contexts.clear();
      await deps.stores.close();
    },
  };
}

function dateField(body: Record<string, unknown>, field: string): Date {
  const value = body[field];
  if (value === undefined || value === null) throw missingField(field);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) throw invalidField(field, 'must be an ISO 8601 date-time, e.g. 2026-01-31T22:00:00Z');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidField(field, 'must be an ISO 8601 date-time, e.g. 2026-01-31T22:00:00Z');
  return date;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

