// Public API of success-rate scoring (pure: no I/O, imports nothing else of Junction).
export type * from './types.ts';
export {
  DEFAULT_SCORING_CONFIG,
  scoringConfig,
  armKey,
  armKeys,
  armKeysForDecision,
  applyFeedback,
  estimateChain,
  updateArm,
  emptyArm,
  type Estimate,
  type FeedbackResult,
} from './estimator.ts';
export { rankGateways, feeFor, feeRuleOf, inScheduledOutage, classifyHealth } from './rank.ts';
export { sampleBeta, sampleGamma } from './beta.ts';
export { InMemoryScoreStore, serializeSnapshot, parseSnapshot, serializeArm, parseArm, type ScoreStore } from './store.ts';
export { createScoringPolicy, createScoringEngine, type RoutingPolicy, type ScoringEngine, type PolicyRankInput } from './policy.ts';
export { createSrV3Policy, DEFAULT_SR_V3_CONFIG, SR_V3_RESET_FACTORS, srV3Reset, type SrV3Config, type SrV3State } from './sr-v3.ts';
