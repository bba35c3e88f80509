// Wire shapes of the Priority Logic API (src/http/priority-logic/wire.ts). The routing engine's
// logic format and the dry run's decision record are the engine's own types (src/routing, type-only
// imports); the stored definition is read loosely (one interface for every kind).

export type { AmountValue, Condition, GatewayRef, LeafCondition, LogicKind, Operator, Rule, RuleOutput, ScalarValue, VolumeSplit } from '../../../src/routing/types.ts';
export type { LogicRankingMode as RankingMode } from '../../../src/routing/types.ts';
import type { GatewayRef, LogicKind, LogicRankingMode as RankingMode, Rule, VolumeSplit } from '../../../src/routing/types.ts';
import type { RoutingDecisionRecord } from '../../../src/routing/decision-record.ts';
export type { PriorityLogicStatus as LogicStatus } from '../../../src/core/priority-logic/types.ts';
import type { PriorityLogicStatus as LogicStatus } from '../../../src/core/priority-logic/types.ts';

/** The stored definition (the engine's LogicDefinition), as `definition` in a LogicBody. */
export interface LogicDefinition {
  kind: LogicKind;
  name: string;
  description?: string;
  enforce: boolean;
  defaultGateways: GatewayRef[];
  ranking?: { mode: RankingMode };
  splits?: VolumeSplit[];
  rules?: Rule[];
  code?: string;
}

/** Create body (and the draft of a dry run): the logic document without its format header. */
export interface LogicInput {
  name: string;
  description?: string;
  kind: LogicKind;
  enforce: boolean;
  defaultGateways: GatewayRef[];
  ranking?: { mode: RankingMode };
  definition: Record<string, never> | { splits: VolumeSplit[] } | { rules: Rule[] } | { code: string };
}

export interface Routing {
  active_logic_id: string | null;
  staggered_logic_id: string | null;
  stagger_percentage: number | null;
  fallback_logic_id: string | null;
  version: number;
  updated: string;
}

export interface Logic {
  id: string;
  name: string;
  description: string | null;
  kind: LogicKind;
  type: string;
  status: LogicStatus;
  status_label: string;
  is_fallback: boolean;
  stagger_percentage: number | null;
  enforce: boolean;
  ranking: { mode: string };
  version: number;
  row_version: number;
  definition: LogicDefinition;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  copied_from: string | null;
  created: string;
  updated: string;
}

export interface LogicList {
  logics: Logic[];
  total: number;
  routing: Routing;
}

export interface ChangeResult {
  logic: Logic;
  routing: Routing;
}

export interface LogicMetrics {
  logic_id: string;
  name: string | null;
  kind: string | null;
  type: string | null;
  status: string | null;
  roles: string[];
  decided: number;
  traffic_percent: number;
  gateway_undecided_percent: number;
  success_rate: number | null;
  settled: number;
  succeeded: number;
  volume: { count: number; amounts: { currency: string; count: number; amount: number }[] };
  latency_ms: { p50: number | null; p95: number | null };
  /** With `trend_buckets`: the window in equal slices, oldest first. */
  trend?: { from: string; decided: number; success_rate: number | null }[];
}

export interface MetricsReport {
  from: string;
  to: string;
  total_decided: number;
  routing: Routing;
  logics: LogicMetrics[];
}

export interface LeafTrace {
  path: string;
  dimension: string;
  operator: string;
  expected: unknown;
  actual: string | number | boolean | null;
  result: boolean;
  note?: string;
}

export interface RuleExplanation {
  index: number;
  name: string;
  matched: boolean;
  failedLeaves: LeafTrace[];
}

/** The dry run's decision: the engine's own record (a dry run chooses no accounts and ranks nothing). */
export type DecisionRecord = Omit<RoutingDecisionRecord, 'decidedGateway' | 'accountIds' | 'ranking' | 'fallbackAttempt' | 'previousAttempts'>;

export interface DryRunResult {
  logic_id: string | null;
  validation_errors: { code: string; field: string; message: string }[];
  matched_rule: { index: number; name: string } | null;
  rules: RuleExplanation[];
  decision: DecisionRecord;
  consistent: boolean;
}

/** A gateway account of the merchant (GET /v1/dashboard/gateways). */
export interface GatewayAccountInfo {
  gateway: string;
  account_id?: string;
  enabled?: boolean;
  gateway_reference_id?: string | null;
  payment_method_types?: string[];
}

export const KIND_LABELS: Record<LogicKind, string> = { DEFAULT: 'Default', VOLUME: 'Volume Based', RULES: 'Rule Based', CODE: 'Code Based' };
export const STATUS_LABELS: Record<LogicStatus, string> = { ACTIVE: 'Active', INACTIVE: 'Inactive', STAGGERED: 'Staggered', PENDING_APPROVAL: 'Pending Approval', REJECTED: 'Rejected' };
export const RANKING_LABELS: Record<RankingMode, string> = {
  OFF: 'Off: keep the logic’s order',
  WITHIN_LOGIC: 'Within logic: reorder the logic’s gateways by success rate',
  ALL_ELIGIBLE: 'All eligible: rank every eligible gateway',
};
