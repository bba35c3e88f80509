// Reads over the stored risk assessments of attempts (txns.risk) for the dashboard's Risk page;
// the database adapter is src/storage/risk-insight-repository.ts. Every call names its merchant.
import type { RiskAttempt } from './risk-store.ts';

export interface BlockedAttempt extends RiskAttempt {
  paymentMethodType: string;
  errorCode: string | null;
}

export interface BlockRateRows {
  /** Attempts that went through risk checks, per bucket start (unix seconds). */
  checked: Array<{ bucket: number; count: number }>;
  /** Blocked attempts: their bucket and stored checks. */
  blocked: Array<{ bucket: number; checks: unknown }>;
  /** True when more blocked attempts fell in the window than were read. */
  truncated: boolean;
}

export interface RiskInsightStore {
  blocked(merchantId: string, q: { from: Date; to: Date; limit: number; before?: { at: Date; id: string } }): Promise<BlockedAttempt[]>;
  blockRate(merchantId: string, q: { from: Date; to: Date; bucketSeconds: number; maxBlocked: number }): Promise<BlockRateRows>;
}
