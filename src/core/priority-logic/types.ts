// Domain types of Priority Logic management: users and roles, stored logics, the merchant's
// routing configuration and the audit trail. The logic itself is the engine's LogicDefinition.
import type { ArmGroup, GuardEvidence, GuardSettings } from './release-guard.ts';
import type { LogicDefinition, LogicKind } from '../../routing/index.ts';

// Adapters (storage, http) name the engine's types through core, never the engine directly.
export type { Explanation, LogicDefinition, LogicKind, RuleAnalysis } from '../../routing/index.ts';

export const USER_ROLES = ['ADMIN', 'EDITOR', 'APPROVER', 'VIEWER'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const LOGIC_STATUSES = ['INACTIVE', 'ACTIVE', 'STAGGERED', 'PENDING_APPROVAL', 'REJECTED'] as const;
export type PriorityLogicStatus = (typeof LOGIC_STATUSES)[number];

/** Who is acting: a dashboard user (Bearer token) or the merchant's API key (a system actor). */
export interface Actor {
  merchantId: string;
  kind: 'USER' | 'API_KEY' | 'SYSTEM';
  /** usr_... for users, the API key id for the system actor. */
  id: string;
  /** The API key acts with ADMIN rights but is never an approver. */
  role: UserRole;
  requestId?: string;
}

export type Right = 'read' | 'edit' | 'release' | 'approve';

export interface User {
  id: string;
  merchantId: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface PriorityLogic {
  id: string;
  merchantId: string;
  name: string;
  description: string | null;
  kind: LogicKind;
  /** Lineage version: 1 for a new logic, the source's version + 1 for a copy. */
  version: number;
  definition: LogicDefinition;
  status: PriorityLogicStatus;
  approvedBy: string | null;
  approvedAt: Date | null;
  createdBy: string;
  copiedFrom: string | null;
  /** Optimistic-concurrency counter, bumped by every change. */
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface RoutingConfig {
  merchantId: string;
  activeLogicId: string | null;
  fallbackLogicId: string | null;
  staggeredLogicId: string | null;
  staggerPercentage: number | null;
  version: number;
  updatedAt: Date;
}

export interface AuditEntry {
  id: string;
  merchantId: string;
  logicId: string | null;
  actorId: string;
  actorRole: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  createdAt: Date;
  /** The acting user's email when the actor is a user (read with the entry, never stored in it). */
  actorEmail?: string | null;
}

export interface LogicListFilter {
  status?: PriorityLogicStatus;
  kind?: LogicKind;
  search?: string;
  sort?: 'name' | 'created' | 'updated' | 'status';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** One logic's figures over a metrics window (rows straight from the decided transactions). */
export interface LogicMetricsRow {
  logicId: string;
  logicName: string | null;
  logicKind: string | null;
  decided: number;
  undecided: number;
  succeeded: number;
  settled: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** One logic's figures in one slice of a metrics window (slice = floor((t - from) / width)). */
export interface LogicTrendRow {
  logicId: string;
  slice: number;
  decided: number;
  succeeded: number;
  settled: number;
}

export interface LogicAmountRow {
  logicId: string;
  currency: string;
  count: number;
  amount: number;
}

/** Where the guard of a staggered release stands (release-guard.ts). */
export type ReleaseGuardState = 'RUNNING' | 'ROLLED_BACK' | 'PASSED' | 'PROMOTED' | 'ENDED';

/** The guard of one staggered release: its settings, its state and the evidence of its last look. */
export interface ReleaseGuard extends GuardSettings {
  id: string;
  merchantId: string;
  /** The staggered logic, and the logic that was fully active when the stagger started (the comparison). */
  logicId: string;
  baselineLogicId: string;
  staggerPercentage: number;
  state: ReleaseGuardState;
  /** Why it stopped: WORSE / PASSED (the guard) or the user's action (REVOKE, PROMOTE, ACTIVATE, STAGGER ...). */
  endReason: string | null;
  evidence: GuardEvidence | null;
  startedAt: Date;
  lastEvaluatedAt: Date | null;
  endedAt: Date | null;
  createdBy: string;
}

/** The payments of one arm of a guarded release, per gateway account and segment (cost needs the fee rule of each). */
export type GuardArmRow = ArmGroup;
