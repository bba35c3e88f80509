// Domain types of a backtest (issue 17, item 1): the job and its report. Rates are fractions
// (0..1); money is integer minor units of its currency.
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import type { Interval } from './counterfactual.ts';

export const BACKTEST_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number];

export interface Backtest {
  id: string;
  merchantId: string;
  logicId: string;
  logicVersion: number;
  from: Date;
  to: Date;
  status: BacktestStatus;
  processed: number;
  /** Payments of the window, counted when the job starts (0 until then): the progress bar's end. */
  total: number;
  report: BacktestReport | null;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  finishedAt: Date | null;
}

/** What happened, as a rate with its 95% (Wilson) interval; null estimate when there is no payment. */
export type Rate = Interval;

/** The figures of one group of payments (all, a payment method type, a segment). */
export interface GroupFigures {
  key: string;
  payments: number;
  /** Payments the draft routes elsewhere (or nowhere). */
  moved: number;
  /** What happened to these payments. */
  actualSuccessRate: Rate;
  /** The draft's estimated success rate on the same payments (an estimate: see `statement`). */
  draftSuccessRate: Interval;
  /** Draft minus actual. */
  difference: Interval;
  /** Moved payments by how their estimate is supported (see docs/safe-change.md). */
  supported: number;
  modelOnly: number;
  extrapolated: number;
}

export interface GatewayFigures {
  gateway: string;
  /** Payments that went to this gateway, their share, and how they did. */
  actualPayments: number;
  actualShare: number;
  actualSuccessRate: Rate | null;
  /** Payments the draft sends to this gateway, their share, and the draft's estimate for them there. */
  draftPayments: number;
  draftShare: number;
  draftSuccessRate: Interval | null;
  movedIn: number;
  movedOut: number;
}

export interface TrafficFlow {
  /** The gateway used (null: none was). */
  from: string | null;
  /** The draft's gateway (null: the draft finds none). */
  to: string | null;
  count: number;
  share: number;
}

export interface CostFigures {
  currency: string;
  /** Payments of this currency whose used and draft gateways both have a fee model. */
  payments: number;
  actualFeesMinor: number;
  draftFeesMinor: number;
  differenceMinor: number;
}

export interface MovedPayment {
  txnId: string;
  orderId: string;
  createdAt: string;
  amount: number;
  currency: string;
  paymentMethodType: string;
  paymentMethod: string;
  segment: string;
  status: string;
  success: boolean;
  /** The logged decision record (read from the payment once the run is over; null if unreadable). */
  actual: { gateway: string; decision: RoutingDecisionRecord | null };
  draft: { gateway: string | null; decision: RoutingDecisionRecord };
}

export interface BacktestReport {
  /** Says in plain words that the draft's figures are estimates. */
  statement: string;
  logic: { id: string; name: string; version: number; kind: string };
  window: { from: string; to: string };
  payments: number;
  moved: number;
  /** Payments of the window skipped: no readable decision record or no gateway used. */
  skipped: number;
  /** Payments whose logged decision was a volume split (propensities known). */
  randomised: number;
  totals: GroupFigures;
  flows: TrafficFlow[];
  byGateway: GatewayFigures[];
  byPaymentMethodType: GroupFigures[];
  /** The largest segments (payment method type | payment method), at most SEGMENT_LIMIT. */
  bySegment: GroupFigures[];
  segmentsOmitted: number;
  cost: { byCurrency: CostFigures[]; feesUnknown: number };
  /** The first moved payments of the window, with both decisions side by side. */
  movedSample: MovedPayment[];
  movedSampleLimit: number;
}
