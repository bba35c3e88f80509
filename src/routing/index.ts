// Public API of the routing engine (a pure library: no I/O, imports nothing else of Junction).

export type * from './types.ts';
export { OPERATORS, UDF_KEYS } from './types.ts';
export { DIMENSION_NAMES, OPERATORS_BY_KIND, lookupDimension, type DimensionSpec, type ValueKind } from './dimensions.ts';
export { stableHash32, orderBucket, BUCKETS } from './hash.ts';
export {
  createRoutingEngine,
  compileLogic,
  inStaggeredShare,
  type DecisionInput,
  type DecisionFailureReason,
  type EligibilityDrop,
  type LogicRole,
  type LogicSlot,
  type LogicStatus,
  type RoutingDecisionRecord,
  type RoutingEngine,
  type RoutingEngineOptions,
  type StaggeredSlot,
} from './decide.ts';
export { DEFAULT_ORDER, isDefaultOrdering, type DropReason, type FinalGateway, type PreviousAttempt, type RankedGateway, type RankingRecord } from './decision-record.ts';
export { readDecisionRecord } from './decision-record-reader.ts';
export { decideDefaultOrder } from './kinds/default-routing.ts';
export { accountIneligibility, byPriority, checkEligibility, type Eligibility, type EligibilityFacts, type EligibilityReason } from './eligibility.ts';
export { validateLogic, validateCondition, isCatchAllCondition, VALIDATION_MESSAGES, type ValidationCode, type ValidationContext, type ValidationError } from './validate.ts';
export { analyzeRules, type AnalysisOptions, type RuleAnalysis, type RuleWarning, type RuleWarningCode, type WitnessField } from './analysis/analyze-rules.ts';
export { explain, explainAsync, type Explanation, type ExplainInput, type RuleExplanation } from './explain.ts';
export {
  exportLogicDocument,
  serializeLogicDocument,
  parseLogicDocument,
  withCatchAllConditions,
  LOGIC_DOCUMENT_FORMAT,
  LOGIC_DOCUMENT_VERSION,
  type LogicDocument,
  type DocumentError,
  type ParseResult,
} from './logic-document.ts';
export { compileRules, compileCondition } from './kinds/rules/compile-rules.ts';
export { interpretRules, interpretCondition, traceCondition, type ConditionTrace, type LeafTrace } from './kinds/rules/interpret-rules.ts';
export { pickWeighted } from './kinds/volume-routing.ts';
export { buildCodeInput } from './kinds/code-routing.ts';
export type {
  CodeEvaluator,
  CodeEvaluationInput,
  CodeEvaluationResult,
  CodeCompileResult,
  CompiledCode,
  CodeFailureReason,
  AsyncCodeEvaluator,
  AsyncCompiledCode,
  CodeCheckResult,
  EvaluationOwner,
} from './kinds/code-evaluator.ts';
export { isAsyncCodeEvaluator } from './kinds/code-evaluator.ts';
