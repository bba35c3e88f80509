import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  activeOutage,
  createRng,
  defaultSimulatorProfiles,
  drawOutcome,
  mergeProfilePatch,
  successProbability,
  successProbabilitySource,
  validateProfile,
  type DrawContext,
} from './simulator-profile.ts';
import { GatewaySimulator } from './simulator.ts';
import { TEST_ACCOUNT, cardRequest, instantProfile } from './test-fixtures.ts';

const visaHdfc: DrawContext = { paymentMethodType: 'CARD', paymentMethod: 'VISA', cardBrand: 'VISA', issuer: 'HDFC' };

describe('simulator profile', () => {
  it('the PRNG is deterministic for a seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const seqA = Array.from({ length: 100 }, () => a.next());
    const seqB = Array.from({ length: 100 }, () => b.next());
    const seqC = Array.from({ length: 100 }, () => c.next());
    assert.deepEqual(seqA, seqB);
    assert.notDeepEqual(seqA, seqC);
    assert.ok(seqA.every((u) => u >= 0 && u < 1));
  });

  it('the simulator replays the same outcomes for the same seed', () => {
    const run = (seed: number): string[] => {
      const simulator = new GatewaySimulator({ seed, profiles: { SIM_ALPHA: instantProfile(0.6) } });
      const codes: string[] = [];
      for (let i = 0; i < 300; i++) {
        const reply = simulator.authorize('SIM_ALPHA', TEST_ACCOUNT.accountId, cardRequest());
        codes.push(reply.timedOut ? 'TIMEOUT' : reply.body.code);
      }
      simulator.close();
      return codes;
    };
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2));
  });

  it('reset() restarts the random streams', () => {
    const simulator = new GatewaySimulator({ profiles: { SIM_ALPHA: instantProfile(0.5) } });
    const draw = (): string[] =>
      Array.from({ length: 50 }, () => {
        const reply = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
        return reply.timedOut ? 'T' : reply.body.code;
      });
    const first = draw();
    simulator.reset();
    assert.deepEqual(draw(), first);
    simulator.close();
  });

  it('overrides: issuer > card brand > payment method > payment method type > base', () => {
    const p = instantProfile(0.5);
    const upi: DrawContext = { paymentMethodType: 'UPI', paymentMethod: 'UPI', cardBrand: null, issuer: null };
    assert.equal(successProbability(p, visaHdfc), 0.5);
    assert.equal(successProbabilitySource(p, visaHdfc), 'base');
    p.overrides.paymentMethodType.CARD = 0.6;
    assert.equal(successProbability(p, visaHdfc), 0.6);
    assert.equal(successProbabilitySource(p, visaHdfc), 'paymentMethodType:CARD');
    p.overrides.paymentMethod.VISA = 0.7;
    assert.equal(successProbability(p, visaHdfc), 0.7);
    assert.equal(successProbabilitySource(p, visaHdfc), 'paymentMethod:VISA');
    p.overrides.cardBrand.VISA = 0.8;
    assert.equal(successProbability(p, visaHdfc), 0.8);
    assert.equal(successProbabilitySource(p, visaHdfc), 'cardBrand:VISA');
    p.overrides.issuer.hdfc = 0.9;
    assert.equal(successProbability(p, visaHdfc), 0.9, 'issuer matches case-insensitively');
    assert.equal(successProbabilitySource(p, visaHdfc), 'issuer:HDFC');
    assert.equal(successProbability(p, { ...visaHdfc, issuer: 'ICICI' }), 0.8);
    assert.equal(successProbabilitySource(p, { ...visaHdfc, issuer: 'ICICI' }), 'cardBrand:VISA');
    assert.equal(successProbability(p, upi), 0.5);
    assert.equal(successProbabilitySource(p, upi), 'base');
  });

  it('the defaults are distinct: BETA weak on AMEX, GAMMA strong on UPI, DELTA slow', () => {
    const d = defaultSimulatorProfiles();
    assert.equal(d.SIM_ALPHA.baseSuccessRate, 0.95);
    assert.ok(successProbability(d.SIM_BETA, { ...visaHdfc, cardBrand: 'AMEX', issuer: null }) < 0.7);
    assert.ok(successProbability(d.SIM_GAMMA, { paymentMethodType: 'UPI', paymentMethod: 'UPI', cardBrand: null, issuer: null }) > 0.95);
    assert.ok(d.SIM_DELTA.latency.fixedMs > d.SIM_ALPHA.latency.fixedMs * 5);
    for (const [name, p] of Object.entries(d)) assert.ok(validateProfile(p).ok, name);
  });

  it('outage windows: time bounds, payment method type and issuer filters', () => {
    const p = instantProfile(1, {
      outages: [
        { id: 'o1', startMs: 1000, endMs: 2000, mode: 'DOWN' },
        { id: 'o2', startMs: 5000, endMs: 6000, mode: 'TIMEOUT', paymentMethodType: 'UPI' },
        { id: 'o3', startMs: 8000, endMs: 9000, mode: 'DOWN', issuer: 'HDFC' },
      ],
    });
    const upi: DrawContext = { paymentMethodType: 'UPI', paymentMethod: 'UPI', cardBrand: null, issuer: null };
    assert.equal(activeOutage(p, visaHdfc, 999), undefined);
    assert.equal(activeOutage(p, visaHdfc, 1000)?.id, 'o1');
    assert.equal(activeOutage(p, visaHdfc, 2000), undefined, 'end is exclusive');
    assert.equal(activeOutage(p, visaHdfc, 5500), undefined, 'card unaffected by a UPI outage');
    assert.equal(activeOutage(p, upi, 5500)?.id, 'o2');
    assert.equal(activeOutage(p, visaHdfc, 8500)?.id, 'o3');
    assert.equal(activeOutage(p, { ...visaHdfc, issuer: 'ICICI' }, 8500), undefined);
    const rng = createRng(1);
    assert.deepEqual(drawOutcome(p, upi, rng, 5500), { result: 'OUTAGE', mode: 'TIMEOUT' });
    assert.deepEqual(drawOutcome(p, visaHdfc, rng, 3000), { result: 'SUCCESS' });
  });

  it('outages through the simulator with an injected clock', () => {
    let now = 10_000;
    const simulator = new GatewaySimulator({ now: () => now, profiles: { SIM_ALPHA: instantProfile(1) } });
    const code = (): string => {
      const reply = simulator.authorize('SIM_ALPHA', 'a', cardRequest());
      return reply.timedOut ? 'TIMEOUT' : reply.body.code;
    };
    simulator.startOutage('SIM_ALPHA', { durationMs: 1000 });
    assert.equal(code(), 'GW_DOWN');
    now += 1000;
    assert.equal(code(), '00');
    simulator.startOutage('SIM_ALPHA', { startMs: now + 500, untilMs: now + 600, issuer: 'hdfc' });
    now += 550;
    assert.equal(code(), 'GW_DOWN');
    assert.equal(simulator.endOutage('SIM_ALPHA'), 2);
    assert.equal(code(), '00');
    simulator.close();
  });

  for (const probability of [0.95, 0.8, 0.5]) {
    it(`success rate over 20,000 draws is within 1 point of ${probability}`, () => {
      const p = instantProfile(probability);
      const rng = createRng(12345);
      let successes = 0;
      for (let i = 0; i < 20_000; i++) if (drawOutcome(p, visaHdfc, rng, 0).result === 'SUCCESS') successes++;
      assert.ok(Math.abs(successes / 20_000 - probability) < 0.01, `${successes / 20_000}`);
    });
  }

  it('the failure mix shapes the failures', () => {
    const p = instantProfile(0, { failureMix: { HARD_DECLINE: 3, SOFT_DECLINE: 1, TECHNICAL_ERROR: 0, TIMEOUT: 0 } });
    const rng = createRng(3);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const o = drawOutcome(p, visaHdfc, rng, 0);
      const key = o.result === 'FAILURE' ? o.kind : o.result;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    assert.equal(counts.TECHNICAL_ERROR, undefined);
    assert.ok(Math.abs(counts.HARD_DECLINE / 20_000 - 0.75) < 0.015);
  });

  it('validation names the offending fields', () => {
    const result = validateProfile({
      baseSuccessRate: 1.5,
      latency: { fixedMs: -1, jitterMs: 0 },
      failureMix: { HARD_DECLINE: 0, BOGUS: 1 },
      overrides: { paymentMethodType: { CARDS: 0.5 }, cardBrand: { VISA: 'x' } },
      outages: [{ startMs: 10, endMs: 5 }],
      wat: true,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    const fields = result.errors.map((e) => e.field_name);
    for (const field of ['baseSuccessRate', 'latency.fixedMs', 'failureMix.BOGUS', 'failureMix', 'overrides.paymentMethodType.CARDS', 'overrides.cardBrand.VISA', 'outages[0].endMs', 'wat']) {
      assert.ok(fields.includes(field), `${field} in ${fields.join(', ')}`);
    }
    assert.deepEqual(validateProfile('nope'), { ok: false, errors: [{ field_name: 'profile', reason: 'must be an object' }] });
  });

  it('a patch merges nested objects and validates the result', () => {
    const simulator = new GatewaySimulator();
    const before = simulator.getProfile('SIM_BETA')!;
    const patched = simulator.patchProfile('SIM_BETA', { latency: { fixedMs: 0 }, overrides: { cardBrand: { VISA: 0.5 } } });
    assert.ok(patched?.ok);
    const after = simulator.getProfile('SIM_BETA')!;
    assert.equal(after.latency.fixedMs, 0);
    assert.equal(after.latency.jitterMs, before.latency.jitterMs);
    assert.deepEqual(after.overrides.cardBrand, { ...before.overrides.cardBrand, VISA: 0.5 });
    const bad = simulator.patchProfile('SIM_BETA', { baseSuccessRate: -1 });
    assert.equal(bad?.ok, false);
    assert.equal(simulator.getProfile('SIM_BETA')!.baseSuccessRate, before.baseSuccessRate, 'a rejected patch changes nothing');
    assert.equal(simulator.patchProfile('SIM_NOPE', {}), undefined);
    assert.deepEqual(mergeProfilePatch(before, { outages: [] }).outages, []);
    simulator.close();
  });
});
