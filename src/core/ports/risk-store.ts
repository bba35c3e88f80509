// Storage of merchants' risk setups. Every method takes the merchant id and touches only that
// merchant's rows; every change writes its audit row in the same database transaction.
import type { RiskListEntry, RiskSetupReader } from '../../risk/risk-service.ts';
import type { ListKind } from '../../risk/lists.ts';
import type { RiskConfig, RiskRule } from '../../risk/types.ts';

export interface RiskActor {
  /** Who changed it: an API key's merchant, a dashboard user id. */
  id: string;
}

export interface RiskAuditEntry {
  id: string;
  actor: string;
  action: string;
  entity: string;
  detail: Record<string, unknown>;
  at: Date;
}

/** An attempt with its stored risk assessment (txns.risk). */
export interface RiskAttempt {
  txnUuid: string;
  txnId: string;
  orderId: string;
  status: string;
  amount: number;
  currency: string;
  /** The stored assessment: action, code, reasons, checks, mode, late, review. */
  risk: Record<string, unknown>;
  createdAt: Date;
}

export interface HeldPayment extends RiskAttempt {
  gateway: string | null;
}

export interface RiskStore extends RiskSetupReader {
  putConfig(merchantId: string, config: RiskConfig, actor: RiskActor): Promise<void>;
  deleteConfig(merchantId: string, actor: RiskActor): Promise<boolean>;
  getRule(merchantId: string, id: string): Promise<RiskRule | null>;
  /** Null when the merchant already has a rule of that name. */
  insertRule(merchantId: string, rule: RiskRule, actor: RiskActor): Promise<RiskRule | null>;
  updateRule(merchantId: string, rule: RiskRule, actor: RiskActor): Promise<RiskRule | null>;
  deleteRule(merchantId: string, id: string, actor: RiskActor): Promise<boolean>;
  /** Adds values (already normalised); answers how many were new. */
  addEntries(merchantId: string, list: 'block' | 'allow', kind: ListKind, values: readonly string[], note: string | null, actor: RiskActor): Promise<number>;
  removeEntry(merchantId: string, list: 'block' | 'allow', kind: ListKind, value: string, actor: RiskActor): Promise<boolean>;
  pageEntries(merchantId: string, list: 'block' | 'allow', options: { kind?: ListKind; after?: string; limit: number }): Promise<Array<RiskListEntry & { note: string | null; createdAt: Date }>>;
  listAudit(merchantId: string, limit: number): Promise<RiskAuditEntry[]>;
  heldPayments(merchantId: string, limit: number): Promise<HeldPayment[]>;
  setReview(merchantId: string, txnUuid: string, review: Record<string, unknown>, actor: RiskActor): Promise<boolean>;
  /**
   * Claims held reviews past their merchant's review_expiry_hours (default 72) at `now`: row-locked
   * with SKIP LOCKED and marked EXPIRING with a lease in the same statement, so several workers never
   * take the same one; a claim whose lease ran out (the void failed, the worker died) is taken again.
   */
  claimExpiredReviews(now: Date, limit: number, leaseMs: number): Promise<Array<{ txnUuid: string; merchantId: string; heldAt: string | null }>>;
  /** Records the expiry's end (review state EXPIRED, the void's result) and its audit row. */
  finishExpiredReview(merchantId: string, txnUuid: string, review: Record<string, unknown>): Promise<boolean>;
}
