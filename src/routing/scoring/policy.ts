// A routing policy: rank, then learn from the outcome. Ours wraps the pure functions around a
// store; SR v3 (sr-v3.ts) implements the same interface so the benchmark can swap them.
import { applyFeedback, armKeys, armKeysForDecision, scoringConfig, type FeedbackResult } from './estimator.ts';
import { rankGateways } from './rank.ts';
import { InMemoryScoreStore, type ScoreStore } from './store.ts';
import type { OutcomeFeedback, RankInput, RankResult, ScoringConfig } from './types.ts';

export type PolicyRankInput = Omit<RankInput, 'config' | 'stats'>;

/** A synchronous policy (in-process state): what the simulator and the in-process bench use. */
export interface RoutingPolicy {
  readonly name: string;
  rank(input: PolicyRankInput): RankResult;
  record(outcome: OutcomeFeedback): FeedbackResult;
}

export function createScoringPolicy(
  options: { config?: Partial<ScoringConfig>; store?: InMemoryScoreStore; name?: string } = {},
): RoutingPolicy & { readonly config: ScoringConfig; readonly store: InMemoryScoreStore } {
  const config = scoringConfig(options.config);
  const store = options.store ?? new InMemoryScoreStore();
  return {
    name: options.name ?? 'ours',
    config,
    store,
    rank(input: PolicyRankInput): RankResult {
      const gateways = input.mode === 'ALL_ELIGIBLE' && !input.enforced ? input.allEligible : input.candidates;
      const keys = armKeysForDecision(gateways, input.segment, config);
      return rankGateways({ ...input, config, stats: store.get(keys), keys });
    },
    record(outcome: OutcomeFeedback): FeedbackResult {
      let result: FeedbackResult = { counted: false, alarms: 0 };
      store.update(armKeys(outcome.gateway, outcome.segment, config), (arms) => {
        result = applyFeedback(arms, outcome, config);
        return arms;
      });
      return result;
    },
  };
}

/** The same over any (possibly remote, asynchronous) store: one read per decision, one update per outcome. */
export interface ScoringEngine {
  rank(input: PolicyRankInput): Promise<RankResult>;
  record(outcome: OutcomeFeedback): Promise<FeedbackResult>;
}

export function createScoringEngine(options: { store: ScoreStore; config?: Partial<ScoringConfig> }): ScoringEngine {
  const config = scoringConfig(options.config);
  const { store } = options;
  return {
    async rank(input: PolicyRankInput): Promise<RankResult> {
      const gateways = input.mode === 'ALL_ELIGIBLE' && !input.enforced ? [...new Set([...input.candidates, ...input.allEligible])] : input.candidates;
      const keys = armKeysForDecision(gateways, input.segment, config);
      return rankGateways({ ...input, config, stats: await store.get(keys), keys });
    },
    async record(outcome: OutcomeFeedback): Promise<FeedbackResult> {
      let result: FeedbackResult = { counted: false, alarms: 0 };
      if (!outcome.success && !outcome.countsAgainstGateway) return result;
      await store.update(armKeys(outcome.gateway, outcome.segment, config), (arms) => {
        result = applyFeedback(arms, outcome, config);
        return arms;
      });
      return result;
    },
  };
}
