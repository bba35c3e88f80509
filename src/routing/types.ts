// The routing engine's own data types. Plain data only: the engine is a library with no I/O, and
// the caller (core) maps its domain objects onto RoutingPayment.

/** A gateway account the merchant has configured. An empty capability list means "all". */
export interface GatewayAccount {
  /** The merchant's id for the account: a decision's final gateways name the account chosen. */
  accountId: string;
  gateway: string;
  gatewayReferenceId: string | null;
  enabled: boolean;
  paymentMethodTypes: readonly string[];
  paymentMethods: readonly string[];
  cardBrands: readonly string[];
  currencies: readonly string[];
  /** Lower is tried first: the default order, and which of a gateway's accounts is chosen. */
  priority: number;
}

export interface RoutingCard {
  bin: string; // 6 digits
  extendedBin: string | null; // 8 digits when known
  brand: string | null;
  type: string | null; // CREDIT | DEBIT | PREPAID ...
  subType: string | null;
  issuer: string | null;
  issuerCountry: string | null;
}

export interface RoutingUpi {
  txnType: string | null; // COLLECT | INTENT | ...
  app: string | null;
}

export interface RoutingEmi {
  isEmi: boolean;
  bank: string | null;
  tenure: number | null;
}

/** Everything a routing decision may look at. Amount in integer minor units. */
export interface RoutingPayment {
  merchantId: string;
  orderId: string;
  txnId: string;
  amount: number;
  currency: string;
  paymentMethodType: string;
  paymentMethod: string | null;
  authType: string | null;
  card: RoutingCard | null;
  upi: RoutingUpi | null;
  wallet: string | null;
  bank: string | null;
  emi: RoutingEmi | null;
  customerId: string | null;
  productId: string | null;
  description: string | null;
  udf: Partial<Record<UdfKey, string | null>>;
  metadata: Record<string, string>;
  billingCountry: string | null;
  shippingCountry: string | null;
  isDomestic?: boolean | null;
  preferredGateway: string | null;
  /**
   * The order's gateway reference id (metadata JUSPAY:gateway_reference_id): the account with it
   * is chosen among its gateway's accounts, and the default ordering keeps only it.
   */
  preferredReferenceId?: string | null;
  platform: string | null;
  addToLocker: boolean;
  /** Time of the decision (epoch ms). Injected so decisions are reproducible. */
  nowMillis: number;
  gateways: readonly GatewayAccount[];
  /** A dry run or preview: sandboxed code runs in the edit lane, apart from live payments. */
  dryRun?: boolean;
}

export type UdfKey = 'udf1' | 'udf2' | 'udf3' | 'udf4' | 'udf5' | 'udf6' | 'udf7' | 'udf8' | 'udf9' | 'udf10';
export const UDF_KEYS: readonly UdfKey[] = ['udf1', 'udf2', 'udf3', 'udf4', 'udf5', 'udf6', 'udf7', 'udf8', 'udf9', 'udf10'];

// ---------------------------------------------------------------- logic definitions

export interface GatewayRef {
  gateway: string;
  gatewayReferenceId?: string | null;
}

export const OPERATORS = ['equal', 'not_equal', 'in', 'not_in', 'less_than', 'less_than_equal', 'greater_than', 'greater_than_equal', 'between', 'starts_with'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Amount pinned to a currency: only compares when the payment is in that currency. */
export interface AmountValue {
  amount: number;
  currency: string;
}

export type ScalarValue = string | number | boolean | AmountValue;
export type ConditionValue = ScalarValue | ScalarValue[];

export interface LeafCondition {
  dimension: string;
  operator: Operator;
  value: ConditionValue;
}
export interface AllCondition {
  all: Condition[];
}
export interface AnyCondition {
  any: Condition[];
}
export type Condition = LeafCondition | AllCondition | AnyCondition;

export interface PriorityOutput {
  type: 'PRIORITY';
  gateways: GatewayRef[];
}
export interface VolumeSplitOutput {
  type: 'VOLUME_SPLIT';
  splits: VolumeSplit[];
}
export interface VolumeSplitPriorityOutput {
  type: 'VOLUME_SPLIT_PRIORITY';
  splits: { gateways: GatewayRef[]; weight: number }[];
}
export type RuleOutput = PriorityOutput | VolumeSplitOutput | VolumeSplitPriorityOutput;

export interface VolumeSplit {
  gateway: string;
  gatewayReferenceId?: string | null;
  weight: number;
}

export interface Rule {
  name: string;
  /**
   * `{ all: [] }` (an empty `all`, true for every payment) is the catch-all "Otherwise" rule: it
   * may only be the last rule. A document may also leave `condition` out for it.
   */
  condition: Condition;
  output: RuleOutput;
}

/** How success-rate ranking treats a logic's output (absent: OFF, the logic's order is kept). */
export type LogicRankingMode = 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE';
export const LOGIC_RANKING_MODES: readonly LogicRankingMode[] = ['OFF', 'WITHIN_LOGIC', 'ALL_ELIGIBLE'];

interface LogicBase {
  name: string;
  description?: string;
  enforce: boolean;
  /** Ordered, at least one: used when nothing matches and as the cascade when not enforced. */
  defaultGateways: GatewayRef[];
  /** Success-rate ranking of the logic's output (see docs/intelligent-routing.md). Absent: OFF. */
  ranking?: { mode: LogicRankingMode };
}
/** Default routing: the default gateways, in order. */
export interface DefaultLogic extends LogicBase {
  kind: 'DEFAULT';
}
export interface VolumeLogic extends LogicBase {
  kind: 'VOLUME';
  splits: VolumeSplit[];
}
export interface RulesLogic extends LogicBase {
  kind: 'RULES';
  rules: Rule[];
}
export interface CodeLogic extends LogicBase {
  kind: 'CODE';
  code: string;
}
export type LogicDefinition = DefaultLogic | VolumeLogic | RulesLogic | CodeLogic;
export type LogicKind = LogicDefinition['kind'];

// ---------------------------------------------------------------- evaluation

/** Juspay's priority-logic evaluation failure reasons. */
export type FailureReason =
  | 'NO_ERROR'
  | 'COMPILATION_ERROR'
  | 'MEMORY_EXCEEDED'
  | 'GATEWAY_NAME_PARSE_FAILURE'
  | 'PL_EVALUATION_FAILED'
  | 'NULL_AFTER_ENFORCE'
  | 'UNHANDLED_EXCEPTION'
  | 'CODE_TOO_LARGE';

export type EvaluationOutcome = 'RULE_MATCHED' | 'NO_RULE_MATCHED' | 'VOLUME_SPLIT' | 'DEFAULT_ORDER' | 'CODE_EVALUATED';

export type LogicEvaluation =
  | {
      ok: true;
      gateways: GatewayRef[];
      enforced: boolean;
      outcome: EvaluationOutcome;
      matchedRule?: { index: number; name: string };
    }
  | { ok: false; reason: Exclude<FailureReason, 'NO_ERROR' | 'NULL_AFTER_ENFORCE'>; message: string };

/** A logic compiled once, evaluated many times. */
export interface CompiledLogic {
  readonly kind: LogicKind;
  readonly name: string;
  readonly enforce: boolean;
  readonly defaultGateways: readonly GatewayRef[];
  /** Problems found at compile time; a logic with errors evaluates to a COMPILATION_ERROR failure. */
  readonly compileErrors: readonly string[];
  /** The definition it was compiled from (for explain and export). */
  readonly source: LogicDefinition;
  evaluate(payment: RoutingPayment): LogicEvaluation;
  /**
   * Present when the logic runs elsewhere (code in the worker pool): decideAsync awaits it, and
   * the synchronous evaluate() then answers a failure saying so.
   */
  evaluateAsync?(payment: RoutingPayment): Promise<LogicEvaluation>;
  /** Releases resources (sandbox programs). */
  dispose(): void;
}
