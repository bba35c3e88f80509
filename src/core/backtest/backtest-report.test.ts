import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import { BacktestAggregator, wilson, type ReplayedPayment } from './backtest-report.ts';

const decision = (gateway: string | null): RoutingDecisionRecord => ({
  logic: { id: 'pl_d', name: 'draft', version: 1, kind: 'DEFAULT', role: 'PRIMARY' },
  primary: { name: 'draft', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
  evaluationStatus: 'DEFAULT_ORDER',
  producedList: gateway ? [{ gateway }] : [],
  enforced: true,
  eligibilityDrops: [],
  finalGateways: gateway ? [{ gateway, gatewayReferenceId: null }] : [],
  decidedGateway: gateway,
  accountIds: gateway ? [`acc_${gateway}`] : [],
});

let n = 0;
function payment(used: string, draft: string | null, success: boolean, over: Partial<ReplayedPayment> = {}): ReplayedPayment {
  n++;
  return {
    txnId: `txn_${n}`,
    orderId: `ord_${n}`,
    createdAtMs: Date.UTC(2026, 11, 1) + n,
    amount: 10_000,
    currency: 'INR',
    paymentMethodType: 'CARD',
    paymentMethod: 'VISA',
    segment: 'CARD|VISA',
    status: success ? 'CHARGED' : 'AUTHORIZATION_FAILED',
    success,
    used,
    propensity: null,
    draftPropensity: null,
    draftDecision: decision(draft),
    actualFeeMinor: 200,
    draftFeeMinor: draft ? 150 : null,
    ...over,
  };
}

describe('the backtest report', () => {
  it('counts the traffic that moves, per gateway and per flow, and keeps a bounded sample of moved payments', () => {
    const a = new BacktestAggregator(3);
    for (let i = 0; i < 6; i++) a.add(payment('A', 'A', i % 2 === 0));
    for (let i = 0; i < 4; i++) a.add(payment('A', 'B', true));
    a.add(payment('B', null, false, { paymentMethodType: 'UPI', paymentMethod: 'UPI_COLLECT', segment: 'UPI|UPI_COLLECT' }));
    const r = a.report({ logic: { id: 'pl_d', name: 'draft', version: 1, kind: 'DEFAULT' }, from: new Date(0), to: new Date(1), skipped: 2 });
    assert.equal(r.payments, 11);
    assert.equal(r.moved, 5);
    assert.equal(r.skipped, 2);
    assert.deepEqual(
      r.flows.map((f) => [f.from, f.to, f.count]),
      [
        ['A', 'B', 4],
        ['B', null, 1],
      ],
    );
    const byGw = new Map(r.byGateway.map((g) => [g.gateway, g]));
    assert.equal(byGw.get('A')!.actualPayments, 10);
    assert.equal(byGw.get('A')!.draftPayments, 6);
    assert.equal(byGw.get('A')!.movedOut, 4);
    assert.equal(byGw.get('B')!.draftPayments, 4);
    assert.equal(byGw.get('B')!.movedIn, 4);
    assert.equal(byGw.get('B')!.actualPayments, 1);
    assert.equal(r.movedSample.length, 3, 'bounded');
    assert.equal(r.movedSampleLimit, 3);
    assert.deepEqual(
      r.byPaymentMethodType.map((g) => [g.key, g.payments, g.moved]),
      [
        ['CARD', 10, 4],
        ['UPI', 1, 1],
      ],
    );
    // Unchanged payments count as what happened; the one left without a gateway counts as a failure.
    const upi = r.byPaymentMethodType.find((g) => g.key === 'UPI')!;
    assert.equal(upi.draftSuccessRate.estimate, 0);
    // Fees of the same payments, integer minor units; the payment with no draft gateway has none.
    assert.deepEqual(r.cost.byCurrency, [{ currency: 'INR', payments: 10, actualFeesMinor: 2000, draftFeesMinor: 1500, differenceMinor: -500 }]);
    assert.equal(r.cost.feesUnknown, 0);
  });

  it('a draft that changes nothing reports the actual rate as its estimate, difference zero', () => {
    const a = new BacktestAggregator();
    for (let i = 0; i < 20; i++) a.add(payment('A', 'A', i % 4 !== 0));
    const r = a.report({ logic: { id: 'pl_d', name: 'draft', version: 1, kind: 'DEFAULT' }, from: new Date(0), to: new Date(1), skipped: 0 });
    assert.equal(r.totals.actualSuccessRate.estimate, 0.75);
    assert.equal(r.totals.draftSuccessRate.estimate, 0.75);
    assert.deepEqual(r.totals.difference, { estimate: 0, low: 0, high: 0 });
    assert.deepEqual(r.flows, []);
  });

  it('the Wilson interval stays inside [0, 1] and is empty without payments', () => {
    assert.deepEqual(wilson(0, 0), { estimate: 0, low: 0, high: 0 });
    const all = wilson(10, 10);
    assert.equal(all.high, 1);
    assert.ok(all.low > 0.6 && all.low < 0.8);
  });
});
