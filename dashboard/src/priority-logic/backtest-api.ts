// The backtest API (docs/safe-change.md#the-backtest-api): start one on a logic, read its
// progress and report, list a logic's recent ones.
import { api } from '../api/client';

const BASE = '/v1/priority-logics';
const enc = encodeURIComponent;

/** A rate in percent with its 95% interval. */
export interface RateInterval {
  estimate: number;
  low: number;
  high: number;
}

export interface BacktestGroup {
  key: string;
  payments: number;
  moved: number;
  actual_success_rate: RateInterval;
  draft_success_rate: RateInterval;
  difference: RateInterval;
  supported: number;
  model_only: number;
  extrapolated: number;
}

interface BacktestGateway {
  gateway: string;
  actual: { payments: number; share: number; success_rate: RateInterval | null };
  draft: { payments: number; share: number; success_rate: RateInterval | null };
  moved_in: number;
  moved_out: number;
}

/** A decision record as the dry run shows it (camelCase for a logic's, snake_case for the default ordering's). */
export type DecisionRecord = Record<string, unknown>;

export interface MovedPayment {
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
  actual: { gateway: string; decision: DecisionRecord | null };
  draft: { gateway: string | null; decision: DecisionRecord | null };
}

export interface BacktestReport {
  statement: string;
  logic: { id: string; name: string; version: number; kind: string };
  window: { from: string; to: string };
  payments: number;
  moved: number;
  skipped: number;
  randomised: number;
  totals: BacktestGroup;
  flows: { from: string | null; to: string | null; count: number; share: number }[];
  by_gateway: BacktestGateway[];
  by_payment_method_type: BacktestGroup[];
  by_segment: BacktestGroup[];
  segments_omitted: number;
  cost: { by_currency: { currency: string; payments: number; actual_fees_minor: number; draft_fees_minor: number; difference_minor: number }[]; fees_unknown: number };
  moved_sample: MovedPayment[];
  moved_sample_limit: number;
}

export type BacktestStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface Backtest {
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
  report?: BacktestReport | null;
}

export const startBacktest = (logicId: string, from: string, to: string) => api<Backtest>(`${BASE}/${enc(logicId)}/backtests`, { method: 'POST', body: { from, to } });
export const getBacktest = (id: string, signal?: AbortSignal) => api<Backtest>(`${BASE}/backtests/${enc(id)}`, { signal });
export const listBacktests = (logicId: string, signal?: AbortSignal) => api<{ backtests: Backtest[] }>(`${BASE}/${enc(logicId)}/backtests`, { query: { limit: 5 }, signal });
