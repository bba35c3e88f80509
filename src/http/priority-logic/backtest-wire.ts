// A backtest on the wire (snake_case, rates and shares in percent with 2 decimals, money in minor
// units). The decisions of the moved payments are shown as the dry run shows a decision.
import { Type } from 'typebox';
import type { Interval } from '../../core/backtest/counterfactual.ts';
import type { Backtest, BacktestReport, GatewayFigures, GroupFigures, MovedPayment } from '../../core/backtest/types.ts';
import { decisionWire, readDecisionRecord } from '../../core/payments/decision-wire.ts';
import type { BacktestGatewayWire, BacktestGroupWire, BacktestReportWire, BacktestWire, DecisionRecordWire, MovedPaymentWire, RateIntervalWire } from './backtest-wire-types.ts';

const pct = (x: number): number => Math.round(x * 10_000) / 100;
const interval = (i: Interval | null): RateIntervalWire | null => (i ? { estimate: pct(i.estimate), low: pct(i.low), high: pct(i.high) } : null);

function group(g: GroupFigures): BacktestGroupWire {
  return {
    key: g.key,
    payments: g.payments,
    moved: g.moved,
    actual_success_rate: interval(g.actualSuccessRate),
    draft_success_rate: interval(g.draftSuccessRate),
    difference: interval(g.difference),
    supported: g.supported,
    model_only: g.modelOnly,
    extrapolated: g.extrapolated,
  };
}

function gateway(g: GatewayFigures): BacktestGatewayWire {
  return {
    gateway: g.gateway,
    actual: { payments: g.actualPayments, share: pct(g.actualShare), success_rate: interval(g.actualSuccessRate) },
    draft: { payments: g.draftPayments, share: pct(g.draftShare), success_rate: interval(g.draftSuccessRate) },
    moved_in: g.movedIn,
    moved_out: g.movedOut,
  };
}

function decision(stored: unknown): DecisionRecordWire | null {
  const record = readDecisionRecord(stored);
  return record ? decisionWire(record, { accounts: false }) : null;
}

function moved(m: MovedPayment): MovedPaymentWire {
  return {
    txn_uuid: m.txnId,
    order_id: m.orderId,
    created_at: m.createdAt,
    amount_minor: m.amount,
    currency: m.currency,
    payment_method_type: m.paymentMethodType,
    payment_method: m.paymentMethod,
    segment: m.segment,
    status: m.status,
    success: m.success,
    actual: { gateway: m.actual.gateway, decision: decision(m.actual.decision) },
    draft: { gateway: m.draft.gateway, decision: decision(m.draft.decision) },
  };
}

export function backtestReportToWire(r: BacktestReport): BacktestReportWire {
  return {
    statement: r.statement,
    logic: r.logic,
    window: r.window,
    payments: r.payments,
    moved: r.moved,
    skipped: r.skipped,
    randomised: r.randomised,
    totals: group(r.totals),
    flows: r.flows.map((f) => ({ from: f.from, to: f.to, count: f.count, share: pct(f.share) })),
    by_gateway: r.byGateway.map(gateway),
    by_payment_method_type: r.byPaymentMethodType.map(group),
    by_segment: r.bySegment.map(group),
    segments_omitted: r.segmentsOmitted,
    cost: {
      by_currency: r.cost.byCurrency.map((c) => ({
        currency: c.currency,
        payments: c.payments,
        actual_fees_minor: c.actualFeesMinor,
        draft_fees_minor: c.draftFeesMinor,
        difference_minor: c.differenceMinor,
      })),
      fees_unknown: r.cost.feesUnknown,
    },
    moved_sample: r.movedSample.map(moved),
    moved_sample_limit: r.movedSampleLimit,
  };
}

export function backtestToWire(b: Backtest, options: { report?: boolean } = {}): BacktestWire {
  return {
    id: b.id,
    logic_id: b.logicId,
    logic_version: b.logicVersion,
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    status: b.status,
    progress: { processed: b.processed, total: b.total, percent: b.total > 0 ? Math.min(100, Math.round((b.processed / b.total) * 1000) / 10) : b.status === 'DONE' ? 100 : 0 },
    error: b.error,
    created_by: b.createdBy,
    created_at: b.createdAt.toISOString(),
    finished_at: b.finishedAt ? b.finishedAt.toISOString() : null,
    ...(options.report ? { report: b.report ? backtestReportToWire(b.report) : null } : {}),
  };
}

export const BacktestBody = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the window (inclusive), ISO date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the window (exclusive), at most 90 days after from' })),
  },
  { additionalProperties: false },
);
