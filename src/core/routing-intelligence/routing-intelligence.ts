// Routing intelligence in the running service: per merchant, success-rate scores (one store per
// merchant: in process, or Redis), ranking of a routing decision (one store read per decision),
// feedback from every settled attempt, the health read model and scheduled outages.
// Pure scoring lives in src/routing/scoring; this is the glue that knows merchants and payments.
// The parts: merchant-context.ts (what is read of a merchant), rank-decision.ts, outcome-feedback.ts,
// gateway-health-view.ts and scheduled-outages.ts; this file names the service and wires them.
import type { FeedbackResult, Health, OutcomeFeedback, RankingMode, ScoringConfig, Segment, UniformRng } from '../../routing/scoring/index.ts';
import type { Txn } from '../payments/types.ts';
import type { RoutedGateway, RoutingDecision, RoutingInput } from '../ports/router.ts';
import type { RoutingSettings } from '../routing-settings.ts';
import { createHealthView } from './gateway-health-view.ts';
import { createMerchantContexts } from './merchant-context.ts';
import { createOutcomeFeedback } from './outcome-feedback.ts';
import type { ScheduledOutageRecord, ScheduledOutageStore, ScoreStoreFactory } from './ports.ts';
import { createDecisionRanker } from './rank-decision.ts';
import { createScheduledOutages } from './scheduled-outages.ts';

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

export function createRoutingIntelligence(deps: RoutingIntelligenceDeps): RoutingIntelligence {
  const now = deps.now ?? Date.now;
  const contexts = createMerchantContexts(deps, now, deps.contextTtlMs ?? 2_000);
  const feedback = createOutcomeFeedback({ ...deps, contexts, now, log: deps.log ?? (() => undefined) });
  return {
    rankDecision: createDecisionRanker({ stores: deps.stores, contexts, rng: deps.rng ?? { next: Math.random } }),
    record: feedback.record,
    onTxnSettled: feedback.onTxnSettled,
    idle: feedback.idle,
    health: createHealthView({ stores: deps.stores, contexts, now }),
    ...createScheduledOutages({ outages: deps.outages, onChange: deps.onChange, contexts, now }),
    invalidate: (merchantId) => contexts.drop(merchantId),
    async reset(merchantId) {
      await feedback.settle();
      contexts.drop(merchantId);
      await deps.stores.reset(merchantId);
    },
    async close() {
      await feedback.settle();
      contexts.clear();
      await deps.stores.close();
    },
  };
}
