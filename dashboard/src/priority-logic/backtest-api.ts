// The backtest API (docs/safe-change.md#the-backtest-api): start one on a logic, read its
// progress and report, list a logic's recent ones.
import { api } from '../api/client';

const BASE = '/v1/priority-logics';
const enc = encodeURIComponent;

export type {
  BacktestGroupWire as BacktestGroup,
  BacktestReportWire as BacktestReport,
  BacktestWire as Backtest,
  DecisionRecordWire as DecisionRecord,
  MovedPaymentWire as MovedPayment,
  RateIntervalWire as RateInterval,
} from '../../../src/http/priority-logic/backtest-wire-types.ts';
import type { BacktestWire as Backtest } from '../../../src/http/priority-logic/backtest-wire-types.ts';

export const startBacktest = (logicId: string, from: string, to: string) => api<Backtest>(`${BASE}/${enc(logicId)}/backtests`, { method: 'POST', body: { from, to } });
export const getBacktest = (id: string, signal?: AbortSignal) => api<Backtest>(`${BASE}/backtests/${enc(id)}`, { signal });
export const listBacktests = (logicId: string, signal?: AbortSignal) => api<{ backtests: Backtest[] }>(`${BASE}/${enc(logicId)}/backtests`, { query: { limit: 5 }, signal });
