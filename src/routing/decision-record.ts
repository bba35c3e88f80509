// The record of one routing decision: how it was made, stored on the transaction and shown by the
// APIs. One type for every decision (a logic's, the default ordering's) and for what follows it
// (success-rate ranking, the payment path's fallback attempts). camelCase throughout, except
// LogicStatus.failure_reason, which keeps Juspay's name as the engine always has.

import type { EligibilityReason } from './eligibility.ts';
import type { EvaluationOutcome, FailureReason, GatewayRef, LogicKind } from './types.ts';

export type LogicRole = 'PRIMARY' | 'STAGGERED' | 'FALLBACK' | 'DEFAULT_GATEWAYS';

export interface LogicStatus {
  name: string;
  status: 'SUCCESS' | 'FAILURE';
  failure_reason: FailureReason;
  message?: string;
}

export type DecisionFailureReason = 'NULL_AFTER_ENFORCE' | 'NO_ELIGIBLE_GATEWAY';

/** Why an entry (or, in the default ordering, an account) did not make the final list. */
export type DropReason = EligibilityReason | 'OTHER_GATEWAY_REFERENCE_ID';

export interface EligibilityDrop {
  gateway: string;
  gatewayReferenceId: string | null;
  /** The account dropped (the default ordering looks at accounts, logics at gateway entries). */
  accountId?: string;
  reason: DropReason;
  source: 'LOGIC' | 'DEFAULT_GATEWAYS' | 'PREFERRED' | 'DEFAULT_ORDER';
}

export interface FinalGateway {
  gateway: string;
  gatewayReferenceId: string | null;
}

/** One gateway as the ranking step saw it. */
export interface RankedGateway {
  gateway: string;
  accountId: string;
  label: string;
  score?: number;
  mean?: number;
  health?: string;
  evidence?: number;
  feeMinor?: number | null;
}

/** What success-rate ranking did to the decision's order (docs/intelligent-routing.md). */
export interface RankingRecord {
  mode: string;
  applied: boolean;
  reason?: string;
  error?: string;
  healthApplied?: boolean;
  explored?: boolean;
  /** The scoring segment, in the API's words (payment_method_type, card_brand, ...). */
  segment?: Readonly<Record<string, string | number>>;
  logicOrder?: string[];
  gateways?: RankedGateway[];
}

export interface PreviousAttempt {
  gateway: string;
  code: string;
  unified: string | null;
  retryable: boolean;
}

export interface RoutingDecisionRecord {
  /** id and version are absent for the default ordering (no logic decided). */
  logic: { id?: string; name: string; version?: number; kind: LogicKind; role: LogicRole };
  primary: LogicStatus;
  fallback?: LogicStatus;
  evaluationStatus: EvaluationOutcome | 'LOGIC_FAILED';
  matchedRule?: { index: number; name: string };
  producedList: GatewayRef[];
  enforced: boolean;
  preferredGateway?: { gateway: string; applied: boolean; reason?: EligibilityReason | 'NOT_IN_ENFORCED_LIST' };
  eligibilityDrops: EligibilityDrop[];
  finalGateways: FinalGateway[];
  failureReason?: DecisionFailureReason;
  /** Bucket (0..9999) of the staggered-rollout draw, when a staggered logic is live. */
  staggerBucket?: number;
  /** The gateway tried first (after ranking), or null when none is eligible. */
  decidedGateway: string | null;
  /** The account of each gateway to try, in order (after ranking). */
  accountIds: string[];
  ranking?: RankingRecord;
  /** Set on the record of a fallback attempt (the 2nd attempt is 1). */
  fallbackAttempt?: number;
  previousAttempts?: PreviousAttempt[];
}

/** The default ordering's name in records and metrics (no logic decided). */
export const DEFAULT_ORDER = 'DEFAULT_ORDER';

/** True for the default ordering's record: no logic was active. */
export function isDefaultOrdering(record: Pick<RoutingDecisionRecord, 'logic'>): boolean {
  return record.logic.id === undefined;
}
