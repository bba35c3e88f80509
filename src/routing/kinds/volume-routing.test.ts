import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { orderBucket } from '../hash.ts';
import { payment } from '../testing/fixtures.ts';
import type { VolumeLogic } from '../types.ts';
import { compileVolumeLogic, pickWeighted, volumeBucket } from './volume-routing.ts';
import { prepareOutput } from './rules/rule-output.ts';

const logic = (splits: VolumeLogic['splits']): VolumeLogic => ({ kind: 'VOLUME', name: 'v', enforce: false, defaultGateways: [{ gateway: 'PAYU' }], splits });

describe('volume routing', () => {
  it('picks by weight with exact boundaries at 0.01%', () => {
    assert.equal(pickWeighted([50, 50], 0), 0);
    assert.equal(pickWeighted([50, 50], 4999), 0);
    assert.equal(pickWeighted([50, 50], 5000), 1);
    assert.equal(pickWeighted([50, 50], 9999), 1);
    assert.equal(pickWeighted([0, 100], 0), 1);
    assert.equal(pickWeighted([1, 0, 99], 99), 0);
    assert.equal(pickWeighted([1, 0, 99], 100), 2);
    assert.equal(pickWeighted([0, 0], 10), -1);
  });
  it('returns the drawn gateway only, with its reference id', () => {
    const c = compileVolumeLogic(
      logic([
        { gateway: 'PAYU', gatewayReferenceId: 'acc_1', weight: 100 },
        { gateway: 'RAZORPAY', weight: 0 },
      ]),
    );
    const r = c.evaluate(payment());
    assert.ok(r.ok);
    assert.deepEqual(r.gateways, [{ gateway: 'PAYU', gatewayReferenceId: 'acc_1' }]);
    assert.equal(r.outcome, 'VOLUME_SPLIT');
  });
  it('a split that is not valid fails as COMPILATION_ERROR so the fallback runs', () => {
    const c = compileVolumeLogic(
      logic([
        { gateway: 'PAYU', weight: 60 },
        { gateway: 'RAZORPAY', weight: 60 },
      ]),
    );
    assert.match(c.compileErrors[0], /sum to 120/);
    const r = c.evaluate(payment());
    assert.equal(!r.ok && r.reason, 'COMPILATION_ERROR');
  });
  it('is sticky: the same order always gets the same bucket (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (merchantId, orderId) => {
        const p1 = payment({ merchantId, orderId, txnId: 'a', nowMillis: 1 });
        const p2 = payment({ merchantId, orderId, txnId: 'b', nowMillis: 999_999, amount: 1 });
        return volumeBucket(p1) === volumeBucket(p2) && volumeBucket(p1) >= 0 && volumeBucket(p1) < 10_000;
      }),
      { numRuns: 1000 },
    );
  });
  it('lands within 1 point of the targets over 100,000 random order ids (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 4 }).map((ws) => {
          const t = ws.reduce((a, b) => a + b, 0) || 1;
          const out = ws.map((w) => Math.floor((w * 100) / t));
          out[0] += 100 - out.reduce((a, b) => a + b, 0);
          return out;
        }),
        fc.integer(),
        (weights, seed) => {
          const c = compileVolumeLogic(logic(weights.map((weight, i) => ({ gateway: `G${i}`, weight }))));
          const counts = new Map<string, number>();
          const N = 100_000;
          let x = seed >>> 0;
          for (let i = 0; i < N; i++) {
            x = (Math.imul(x, 1664525) + 1013904223) >>> 0; // random-looking order ids
            const r = c.evaluate(payment({ orderId: `ord_${x.toString(36)}_${i}` }));
            if (!r.ok) return false;
            counts.set(r.gateways[0].gateway, (counts.get(r.gateways[0].gateway) ?? 0) + 1);
          }
          return weights.every((w, i) => Math.abs(((counts.get(`G${i}`) ?? 0) / N) * 100 - w) <= 1);
        },
      ),
      { numRuns: 8 },
    );
  });
  it('a rule VOLUME_SPLIT_PRIORITY output returns the drawn priority list', () => {
    const resolve = prepareOutput({
      type: 'VOLUME_SPLIT_PRIORITY',
      splits: [
        { gateways: [{ gateway: 'PAYU' }, { gateway: 'HDFC' }], weight: 30 },
        { gateways: [{ gateway: 'RAZORPAY' }], weight: 70 },
      ],
    });
    const p = payment();
    const b = orderBucket(p.merchantId, p.orderId, 'volume');
    assert.deepEqual(
      resolve(p).map((g) => g.gateway),
      b < 3000 ? ['PAYU', 'HDFC'] : ['RAZORPAY'],
    );
  });
});
