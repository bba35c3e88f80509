// The storage port of backtests (issue 17, item 1): the job rows (state shared by every instance)
// and the merchant's past payments of a window, read in keyset pages so a backtest of millions of
// payments runs in constant memory. Every read is scoped to the merchant.
import type { Backtest, BacktestReport, BacktestStatus } from '../backtest/types.ts';

/**
 * What the backtest needs of the decision logged on a payment (the whole record is read only for
 * the moved payments it shows: getDecisions). Any stored shape (see decision-record-reader.ts).
 */
export interface LoggedDecisionFacts {
  /** The logic that decided (null: the default ordering). */
  logicId: string | null;
  role: string | null;
  evaluationStatus: string | null;
  matchedRuleIndex: number | null;
  /** The first gateway of the list the logic produced (a volume split's pick). */
  firstProduced: string | null;
  decidedGateway: string | null;
}

/** One past payment as stored: the attempt, its order's routing facts and the logged decision's facts. */
export interface StoredPayment {
  id: string;
  /** created_at in epoch milliseconds. */
  createdAtMs: number;
  /** created_at exactly as stored (microseconds), for the next page's cursor. */
  cursorAt: string;
  status: string;
  amount: number;
  currency: string;
  paymentMethodType: string;
  paymentMethod: string;
  authType: string | null;
  gateway: string | null;
  gatewayAccountId: string | null;
  card: {
    bin: string;
    extendedBin: string | null;
    brand: string | null;
    type: string | null;
    subType: string | null;
    issuer: string | null;
    issuerCountry: string | null;
    savedToLocker: boolean;
  } | null;
  upi: { txnType: string | null; app: string | null } | null;
  wallet: string | null;
  bank: string | null;
  decision: LoggedDecisionFacts;
  orderId: string;
  customerId: string | null;
  productId: string | null;
  description: string | null;
  udf: Readonly<Record<string, string>>;
  metadata: Readonly<Record<string, string>>;
  billingCountry: string | null;
  shippingCountry: string | null;
  orderGatewayId: number | null;
}

/** Where the previous page ended: the last payment's (created_at, id). */
export interface PaymentCursor {
  at: string;
  id: string;
}

export type NewBacktest = Pick<Backtest, 'id' | 'merchantId' | 'logicId' | 'logicVersion' | 'from' | 'to' | 'createdBy'>;

export interface BacktestStore {
  /**
   * The payments the backtest replays, in (created_at, id) order after `after`: first attempts
   * (not a fallback attempt) with a routing decision and a settled outcome, created in [from, to).
   */
  pagePayments(merchantId: string, window: { from: Date; to: Date }, after: PaymentCursor | null, limit: number): Promise<StoredPayment[]>;
  /** The decision records stored on these payments of the merchant, as stored, by payment id. */
  getDecisions(merchantId: string, ids: readonly string[]): Promise<Map<string, unknown>>;
  /** How many payments pagePayments would read (the job's progress total). */
  countPayments(merchantId: string, window: { from: Date; to: Date }): Promise<number>;
  /** The merchant's backtests QUEUED or RUNNING that were created after `since` (a crashed job's row stays RUNNING). */
  countActive(merchantId: string, since: Date): Promise<number>;
  insert(b: NewBacktest): Promise<Backtest>;
  get(merchantId: string, id: string): Promise<Backtest | null>;
  list(merchantId: string, logicId: string, limit: number): Promise<Backtest[]>;
  /** Moves the job on (QUEUED -> RUNNING, progress, and the total once counted); only while it is not finished. */
  progress(merchantId: string, id: string, status: BacktestStatus, processed: number, total?: number): Promise<void>;
  finish(merchantId: string, id: string, result: { status: 'DONE'; processed: number; report: BacktestReport } | { status: 'FAILED'; processed: number; error: string }): Promise<void>;
}
