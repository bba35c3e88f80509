import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../errors.ts';
import { armsFrom, boundary, evaluateGuard, logMixtureRatio, normalCdf, plannedSample, readGuardInput, successBaseline, type ArmGroup, type GuardSettings } from './release-guard.ts';

const SR: GuardSettings = { metric: 'SUCCESS_RATE', tolerance: 0, detectableEffect: 2, minSample: 100, plannedSample: 5000, alpha: 0.05, autoPromote: false };
const arm = (n: number, successes: number) => ({ n, sum: successes, sumSq: successes });

describe('readGuardInput', () => {
  test('defaults per metric', () => {
    assert.deepEqual(readGuardInput({}), { metric: 'SUCCESS_RATE', tolerance: 1, detectableEffect: 2, minSample: 200, plannedSample: null, alpha: 0.05, autoPromote: false });
    const latency = readGuardInput({ metric: 'LATENCY', planned_sample: 900, auto_promote: true });
    assert.deepEqual([latency.tolerance, latency.detectableEffect, latency.plannedSample, latency.autoPromote], [100, 200, 900, true]);
  });

  test('every bad setting is refused naming its field', () => {
    const cases: Array<[unknown, string]> = [
      ['x', 'release_guard'],
      [{ metric: 'SPEED' }, 'release_guard.metric'],
      [{ tolerance: '1' }, 'release_guard.tolerance'],
      [{ tolerance: 51 }, 'release_guard.tolerance'],
      [{ detectable_effect: 0 }, 'release_guard.detectable_effect'],
      [{ min_sample: 29 }, 'release_guard.min_sample'],
      [{ alpha: 0 }, 'release_guard.alpha'],
      [{ planned_sample: 100, min_sample: 200 }, 'release_guard.planned_sample'],
      [{ extra: 1 }, 'release_guard.extra'],
      [{ auto_promote: 1 }, 'release_guard.auto_promote'],
      [{ tolerance: Number.NaN }, 'release_guard.tolerance'],
    ];
    for (const [input, field] of cases) {
      assert.throws(
        () => readGuardInput(input),
        (e: unknown) => e instanceof AppError && e.code === 'INVALID_INPUT' && e.fields?.[0]?.field_name === field,
        JSON.stringify(input),
      );
    }
  });
});

describe('the normal tail', () => {
  test('matches known values, in relative terms far into the tails', () => {
    const known: Array<[number, number]> = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1, 0.15865525393145707],
      [-3, 0.0013498980316301],
      [-6, 9.865876450376946e-10],
      [-10, 7.619853024160527e-24],
      [-20, 2.7536241186061556e-89],
    ];
    for (const [z, p] of known) assert.ok(Math.abs(normalCdf(z) - p) / p < 1e-6, `Phi(${z}) = ${normalCdf(z)}, not ${p}`);
  });
});

describe('evaluateGuard', () => {
  test('collects below the minimum sample, whatever the difference', () => {
    assert.equal(evaluateGuard(SR, arm(99, 0), arm(1000, 1000)).verdict, 'COLLECTING');
    assert.equal(evaluateGuard(SR, arm(1, 0), arm(1, 1)).verdict, 'COLLECTING');
  });

  test('rolls back a clearly worse logic, watches an equal one, passes it at the planned sample', () => {
    const worse = evaluateGuard(SR, arm(2000, 1600), arm(8000, 6800));
    assert.equal(worse.verdict, 'WORSE');
    assert.equal(worse.worseBy, 5);
    assert.ok(worse.interval!.low > 0 && worse.interval!.high > 5);
    assert.match(worse.summary, /5 points worse/);
    assert.equal(evaluateGuard(SR, arm(2000, 1700), arm(8000, 6800)).verdict, 'WATCHING');
    assert.equal(evaluateGuard(SR, arm(5000, 4250), arm(20000, 17000)).verdict, 'PASSED');
  });

  test('the tolerance moves the boundary: 3 points worse is within a 5-point tolerance', () => {
    assert.equal(evaluateGuard({ ...SR, tolerance: 5 }, arm(4000, 3280), arm(16000, 13600)).verdict, 'WATCHING');
    assert.equal(evaluateGuard({ ...SR, tolerance: 0 }, arm(4000, 3280), arm(16000, 13600)).verdict, 'WORSE');
  });

  test('property: a new logic no worse than the tolerance is never rolled back, however lopsided the arms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 200_000 }),
        fc.integer({ min: 2, max: 200_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10 }),
        (nNew, nOld, rNew, rOld, tolerance) => {
          const sNew = Math.round(nNew * rNew);
          const sOld = Math.round(nOld * rOld);
          fc.pre(sNew / nNew >= sOld / nOld - tolerance / 100);
          return evaluateGuard({ ...SR, tolerance }, arm(nNew, sNew), arm(nOld, sOld)).verdict !== 'WORSE';
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('latency: lower is better; a slower new logic is rolled back, a faster one never', () => {
    const settings: GuardSettings = { ...SR, metric: 'LATENCY', tolerance: 50, detectableEffect: 100, plannedSample: 10_000 };
    const stats = (n: number, mean: number, sd: number) => ({ n, sum: n * mean, sumSq: n * (sd * sd + mean * mean) });
    assert.equal(evaluateGuard(settings, stats(2000, 900, 300), stats(8000, 600, 300)).verdict, 'WORSE');
    assert.equal(evaluateGuard(settings, stats(2000, 300, 300), stats(8000, 600, 300)).verdict, 'WATCHING');
  });
});

describe('the design', () => {
  test('the planned sample rejects a logic that much worse with 90% probability at that look', () => {
    const base = { ...SR, plannedSample: 0 };
    const n = plannedSample(base, successBaseline(0.85), 20);
    // At n, the boundary sits 1.28 standard errors below the effect (90% power).
    const variance = (0.83 * 0.17) / n + (0.85 * 0.15) / (4 * n);
    const b = boundary(variance, 0.02, 0.05);
    assert.ok(Math.abs((0.02 - b) / Math.sqrt(variance) - 1.2816) < 0.01, `power z ${(0.02 - b) / Math.sqrt(variance)}`);
    assert.ok(logMixtureRatio(b, variance, 0.02) >= Math.log(20) - 1e-9);
  });

  test('a larger effect, a looser alpha or a larger share of old payments needs fewer payments of the new logic', () => {
    const base = { ...SR, plannedSample: 0 };
    const n = plannedSample(base, successBaseline(0.85), 20);
    assert.ok(plannedSample({ ...base, detectableEffect: 4 }, successBaseline(0.85), 20) < n);
    assert.ok(plannedSample({ ...base, alpha: 0.1 }, successBaseline(0.85), 20) < n);
    assert.ok(plannedSample(base, successBaseline(0.85), 5) < n);
    assert.ok(plannedSample({ ...base, minSample: 50_000 }, successBaseline(0.85), 20) === 50_000);
  });
});

describe('armsFrom', () => {
  const payment = fc.record({
    arm: fc.constantFrom<'NEW' | 'OLD'>('NEW', 'OLD'),
    account: fc.constantFrom('acc_a', 'acc_b', 'acc_free'),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
    success: fc.boolean(),
    latency: fc.integer({ min: 1, max: 30_000 }),
  });
  const rules: Record<string, { fixedMinor: number; percentBps: number } | null> = { acc_a: { fixedMinor: 300, percentBps: 190 }, acc_b: { fixedMinor: 0, percentBps: 250 }, acc_free: null };

  test('property: the sums per group give every metric exactly as payment by payment', () => {
    fc.assert(
      fc.property(fc.array(payment, { minLength: 1, maxLength: 60 }), (payments) => {
        const groups = new Map<string, ArmGroup>();
        for (const p of payments) {
          const key = `${p.arm}|${p.account}`;
          const g = groups.get(key) ?? {
            arm: p.arm,
            accountId: p.account,
            paymentMethodType: 'CARD',
            paymentMethod: 'VISA',
            cardBrand: 'VISA',
            settled: 0,
            succeeded: 0,
            latencyN: 0,
            latencySum: 0,
            latencySumSq: 0,
            inverseAmountSum: 0,
            inverseAmountSumSq: 0,
          };
          g.settled++;
          g.latencyN++;
          g.latencySum += p.latency;
          g.latencySumSq += p.latency * p.latency;
          if (p.success) {
            g.succeeded++;
            g.inverseAmountSum += 10_000 / p.amount;
            g.inverseAmountSumSq += (10_000 / p.amount) ** 2;
          }
          groups.set(key, g);
        }
        const rule = (g: ArmGroup) => rules[g.accountId!] ?? null;
        const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
        for (const side of ['NEW', 'OLD'] as const) {
          const mine = payments.filter((p) => p.arm === side);
          const cost = mine.filter((p) => p.success && rules[p.account]).map((p) => (rules[p.account]!.fixedMinor * 10_000) / p.amount + rules[p.account]!.percentBps);
          const pick = (a: { newArm: { n: number; sum: number; sumSq: number }; oldArm: { n: number; sum: number; sumSq: number } }) => (side === 'NEW' ? a.newArm : a.oldArm);
          const c = pick(armsFrom([...groups.values()], 'COST', rule));
          if (
            c.n !== cost.length ||
            !close(
              c.sum,
              cost.reduce((s, v) => s + v, 0),
            ) ||
            !close(
              c.sumSq,
              cost.reduce((s, v) => s + v * v, 0),
            )
          )
            return false;
          const sr = pick(armsFrom([...groups.values()], 'SUCCESS_RATE', rule));
          if (sr.n !== mine.length || sr.sum !== mine.filter((p) => p.success).length) return false;
          const l = pick(armsFrom([...groups.values()], 'LATENCY', rule));
          if (l.n !== mine.length || l.sum !== mine.reduce((s, p) => s + p.latency, 0)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
