import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeCodeEvaluator, payment } from '../testing/fixtures.ts';
import type { CodeLogic } from '../types.ts';
import type { CodeEvaluator } from './code-evaluator.ts';
import { buildCodeInput, compileCodeLogic } from './code-routing.ts';

const logic = (code: string, enforce = false): CodeLogic => ({ kind: 'CODE', name: 'c', enforce, defaultGateways: [{ gateway: 'PAYU' }], code });

describe('code routing', () => {
  it('builds the order, txn and payment objects of the contract', () => {
    const i = buildCodeInput(payment({ udf: { udf1: 'x' }, metadata: { k: 'v' }, emi: { isEmi: true, bank: 'HDFC', tenure: 6 } }));
    assert.equal(i.order.orderId, 'ord_1');
    assert.equal(i.order.udf1, 'x');
    assert.equal(i.order.udf10, null);
    assert.deepEqual(i.order.metadata, { k: 'v' });
    assert.equal(i.txn.isEmi, true);
    assert.equal(i.txn.emiTenure, 6);
    assert.equal(i.payment.cardBin, '411111');
    assert.equal(i.payment.extendedCardBin, '41111122');
    assert.equal(i.payment.cardIssuer, 'ICICI Bank');
    assert.equal(i.currentTimeMillis, payment().nowMillis);
  });
  it('runs the issuer example and the enforce example', () => {
    const issuer = compileCodeLogic(logic('issuer-split'), fakeCodeEvaluator);
    const r1 = issuer.evaluate(payment());
    assert.ok(r1.ok);
    assert.deepEqual(
      r1.gateways.map((g) => g.gateway),
      ['ICICI', 'HDFC'],
    );
    const enforce = compileCodeLogic(logic('udf1-enforce'), fakeCodeEvaluator);
    const r2 = enforce.evaluate(payment({ udf: { udf1: 'payu_offer' } }));
    assert.ok(r2.ok);
    assert.equal(r2.enforced, true);
    assert.deepEqual(r2.gateways, [{ gateway: 'PAYU' }]);
  });
  it('carries gateway reference ids and the logic enforce switch', () => {
    const r = compileCodeLogic(logic('with-refs', true), fakeCodeEvaluator).evaluate(payment());
    assert.ok(r.ok);
    assert.deepEqual(r.gateways, [{ gateway: 'PAYU', gatewayReferenceId: 'payu_acc_2' }]);
    assert.equal(r.enforced, true);
  });
  it('maps evaluator failures to Juspay failure reasons', () => {
    const reason = (code: string) => {
      const r = compileCodeLogic(logic(code), fakeCodeEvaluator).evaluate(payment());
      return r.ok ? 'OK' : r.reason;
    };
    assert.equal(reason('throws'), 'UNHANDLED_EXCEPTION');
    assert.equal(reason('memory-hog'), 'MEMORY_EXCEEDED');
    assert.equal(reason('busy-loop'), 'PL_EVALUATION_FAILED');
    assert.equal(reason('no-priority'), 'PL_EVALUATION_FAILED');
    assert.equal(reason('syntax error here'), 'COMPILATION_ERROR');
    assert.equal(reason('x'.repeat(20_000)), 'CODE_TOO_LARGE');
  });
  it('reports a non-list output as GATEWAY_NAME_PARSE_FAILURE', () => {
    const weird: CodeEvaluator = {
      compile: () => ({
        ok: true,
        program: { evaluate: () => ({ ok: true, gateways: [42 as unknown as string], enforced: false, gatewayReferenceIds: {} }), dispose() {} },
      }),
    };
    const r = compileCodeLogic(logic('anything'), weird).evaluate(payment());
    assert.equal(!r.ok && r.reason, 'GATEWAY_NAME_PARSE_FAILURE');
  });
  it('without an evaluator the logic fails to compile', () => {
    const c = compileCodeLogic(logic('issuer-split'), undefined);
    assert.equal(c.compileErrors.length, 1);
    assert.equal(c.evaluate(payment()).ok, false);
  });
  it('disposes the sandbox program', () => {
    let disposed = 0;
    const ev: CodeEvaluator = {
      compile: () => ({ ok: true, program: { evaluate: () => ({ ok: true, gateways: ['PAYU'], enforced: false, gatewayReferenceIds: {} }), dispose: () => void disposed++ } }),
    };
    compileCodeLogic(logic('x'), ev).dispose();
    assert.equal(disposed, 1);
  });
});
