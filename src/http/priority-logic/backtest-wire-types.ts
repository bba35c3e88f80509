// The backtest API's answers as the dashboard reads them (docs/safe-change.md#the-backtest-api):
// snake_case, rates and shares in percent with 2 decimals, money in minor units. Types only, and
// importing types only, so the dashboard imports them as they are instead of keeping a copy
// (dashboard/src/priority-logic/backtest-api.ts); backtest-wire.ts builds them.
import type { BacktestReport, BacktestStatus } from '../../core/backtest/types.ts';

/** A rate in percent with its 95% interval. */
export interface RateIntervalWire {
  estimate: number;
  low: number;
  high: number;
}

export interface BacktestGroupWire {
  key: string;
  payments: number;
  moved: number;
  actual_success_rate: RateIntervalWire | null;
  draft_success_rate: RateIntervalWire | null;
  difference: RateIntervalWire | null;
  supported: number;
  model_only: number;
  extrapolated: number;
}

export interface BacktestGatewayWire {
  gateway: string;
  actual: { payments: number; share: number; success_rate: RateIntervalWire | null };
  draft: { payments: number; share: number; success_rate: RateIntervalWire | null };
  moved_in: number;
  moved_out: number;
}

/** A decision record as the dry run shows it (camelCase for a logic's, snake_case for the default ordering's). */
export type DecisionRecordWire = Record<string, unknown>;

export interface MovedPaymentWire {
  txn_uuid: string;
  order_id: string;
  created_at: string;
  amount_minor: number;
  currency: string;
  payment_method_type: string;
  payment_method: string;
  segment: string;
  status: string;
  success: boolean;
  actual: { gateway: string; decision: DecisionRecordWire | null };
  draft: { gateway: string | null; decision: DecisionRecordWire | null };
}

/** The report's counts and headings are the domain's as they are; its tables are in wire form. */
export interface BacktestReportWire extends Pick<BacktestReport, 'statement' | 'logic' | 'window' | 'payments' | 'moved' | 'skipped' | 'randomised'> {
  totals: BacktestGroupWire;
  flows: { from: string | null; to: string | null; count: number; share: number }[];
  by_gateway: BacktestGatewayWire[];
  by_payment_method_type: BacktestGroupWire[];
  by_segment: BacktestGroupWire[];
  segments_omitted: number;
  cost: { by_currency: { currency: string; payments: number; actual_fees_minor: number; draft_fees_minor: number; difference_minor: number }[]; fees_unknown: number };
  moved_sample: MovedPaymentWire[];
  moved_sample_limit: number;
}

export interface BacktestWire {
  id: string;
  logic_id: string;
  logic_version: number;
  from: string;
  to: string;
  status: BacktestStatus;
  progress: { processed: number; total: number; percent: number };
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
  /** With `report` asked for: null until the run is DONE. */
  report?: BacktestReportWire | null;
}
