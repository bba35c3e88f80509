// The storage port of Priority Logic management. Reads go through the store; every change runs
// inside transaction() so the logic rows, the routing configuration and the audit row land together.
import type { OutgoingEvent } from './payment-store.ts';
import type {
  AuditEntry,
  GuardArmRow,
  LogicAmountRow,
  LogicListFilter,
  LogicMetricsRow,
  LogicTrendRow,
  PriorityLogic,
  PriorityLogicStatus,
  ReleaseGuard,
  ReleaseGuardState,
  RoutingConfig,
  User,
  UserRole,
} from '../priority-logic/types.ts';

export interface UserRecord extends User {
  tokenHash: string;
}

export interface NewUserRecord {
  id: string;
  merchantId: string;
  email: string;
  name: string;
  role: UserRole;
  tokenHash: string;
}

/** A logic as created (the store sets its approval, row version and times). */
export type NewLogicRecord = Pick<PriorityLogic, 'id' | 'merchantId' | 'name' | 'description' | 'kind' | 'version' | 'definition' | 'status' | 'createdBy' | 'copiedFrom'>;

export interface LogicRecordPatch {
  status?: PriorityLogicStatus;
  approvedBy?: string;
  approvedAt?: Date;
  deletedAt?: Date;
}

export interface RoutingConfigPatch {
  activeLogicId?: string | null;
  fallbackLogicId?: string | null;
  staggeredLogicId?: string | null;
  staggerPercentage?: number | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'createdAt'>;

export interface AuditFilter {
  logicId?: string;
  limit?: number;
}

export type NewReleaseGuard = Omit<ReleaseGuard, 'state' | 'endReason' | 'evidence' | 'startedAt' | 'lastEvaluatedAt' | 'endedAt'>;

export interface ReleaseGuardPatch {
  state?: ReleaseGuardState;
  endReason?: string | null;
  evidence?: ReleaseGuard['evidence'];
  lastEvaluatedAt?: Date;
  endedAt?: Date;
}

export interface PriorityLogicTx {
  /** The merchant's routing row, created when missing, locked until the transaction ends. */
  lockRouting(merchantId: string): Promise<RoutingConfig>;
  /** The logic, locked until the transaction ends; null when absent or deleted. */
  lockLogic(merchantId: string, logicId: string): Promise<PriorityLogic | null>;
  /** Null when the name is taken by another live logic of the merchant. */
  insertLogic(logic: NewLogicRecord): Promise<PriorityLogic | null>;
  /** Applies the patch and bumps row_version. */
  updateLogic(logicId: string, patch: LogicRecordPatch): Promise<PriorityLogic>;
  /** Applies the patch and bumps the routing version. */
  updateRouting(merchantId: string, patch: RoutingConfigPatch): Promise<RoutingConfig>;
  insertAudit(entry: NewAuditEntry): Promise<void>;
  /** The merchant's running release guard, locked until the transaction ends. */
  lockRunningGuard(merchantId: string): Promise<ReleaseGuard | null>;
  insertGuard(guard: NewReleaseGuard): Promise<ReleaseGuard>;
  updateGuard(guardId: string, patch: ReleaseGuardPatch): Promise<ReleaseGuard>;
  /** A merchant webhook, delivered by the outbox once the transaction commits. */
  enqueueEvent(event: OutgoingEvent): Promise<void>;
}

export interface PriorityLogicStore {
  insertUser(user: NewUserRecord): Promise<{ ok: true; value: UserRecord } | { ok: false; conflict: 'email' | 'token' }>;
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null>;
  findUserByEmail(merchantId: string, email: string): Promise<UserRecord | null>;
  /** Gives the merchant's user a new token; false when another user holds that token. */
  setUserTokenHash(merchantId: string, userId: string, tokenHash: string): Promise<boolean>;
  listUsers(merchantId: string): Promise<UserRecord[]>;

  getLogic(merchantId: string, logicId: string): Promise<PriorityLogic | null>;
  getLogics(merchantId: string, logicIds: readonly string[]): Promise<PriorityLogic[]>;
  /**
   * A logic's versions: the chain of logics it was copied from up to the first, and every copy made
   * from any of them, deleted ones left out, oldest version first (at most 500).
   */
  lineage(merchantId: string, logicId: string): Promise<PriorityLogic[]>;
  listLogics(merchantId: string, filter: LogicListFilter): Promise<{ logics: PriorityLogic[]; total: number }>;
  /** Names of the merchant's live (not deleted) logics. */
  logicNames(merchantId: string): Promise<string[]>;
  getRouting(merchantId: string): Promise<RoutingConfig | null>;
  listAudit(merchantId: string, filter: AuditFilter): Promise<AuditEntry[]>;

  metrics(merchantId: string, from: Date, to: Date): Promise<{ logics: LogicMetricsRow[]; amounts: LogicAmountRow[] }>;
  /** Per logic and slice of `sliceMs` from `from`: the window cut into equal slices (trend lines). */
  metricsTrend(merchantId: string, from: Date, to: Date, sliceMs: number): Promise<LogicTrendRow[]>;

  /** Running release guards of every merchant, the least recently looked at first (the guard worker). */
  runningGuards(limit: number): Promise<ReleaseGuard[]>;
  /** The merchant's guards, the latest first (the dashboard's rollback banner). */
  recentGuards(merchantId: string, limit: number): Promise<ReleaseGuard[]>;
  /** The guards of a logic's staggered releases, the latest first. */
  guardsOf(merchantId: string, logicId: string, limit: number): Promise<ReleaseGuard[]>;
  /** The two arms' payments since `since`: decided by the staggered logic (NEW) or the baseline (OLD). */
  guardArms(merchantId: string, logicId: string, baselineLogicId: string, since: Date): Promise<GuardArmRow[]>;
  /** Records a look that changed nothing but the evidence (outside a lifecycle change). */
  recordGuardLook(guardId: string, evidence: ReleaseGuard['evidence'], at: Date): Promise<void>;

  transaction<T>(fn: (tx: PriorityLogicTx) => Promise<T>): Promise<T>;
}
