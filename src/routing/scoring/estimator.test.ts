import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyFeedback, armKeys, estimateChain, scoringConfig } from './estimator.ts';
import type { OutcomeFeedback, ScoreSnapshot, ScoringConfig, Segment, UniformRng } from './types.ts';

function rngOf(seed: number): UniformRng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const T = 1_767_225_600_000;
const SEGMENT: Segment = { paymentMethodType: 'CARD', paymentMethod: 'VISA', cardBrand: 'VISA', issuer: 'HDFC', currency: 'INR' };

function feed(stats: ScoreSnapshot, config: ScoringConfig, success: boolean, i: number, extra: Partial<OutcomeFeedback> = {}): number {
  return applyFeedback(stats, { gateway: 'G', segment: SEGMENT, success, countsAgainstGateway: !success, atMillis: T + i * 500, ...extra }, config).alarms;
}

function mean(stats: ScoreSnapshot, config: ScoringConfig, now: number, gateway = 'G', segment = SEGMENT): number {
  return estimateChain(
    armKeys(gateway, segment, config).map((k) => stats[k]),
    now,
    config,
  ).mean;
}

describe('estimator', () => {
  it('converges to the true rate on stationary data (fixed seeds; a rare late false alarm may widen one run)', () => {
    const config = scoringConfig();
    const runs = 200;
    let close = 0;
    let worst = 0;
    for (let run = 0; run < runs; run++) {
      const rng = rngOf(run * 104729 + 17);
      const p = 0.2 + (0.79 * run) / (runs - 1);
      const stats: ScoreSnapshot = {};
      for (let i = 0; i < 4000; i++) feed(stats, config, rng.next() < p, i);
      const error = Math.abs(mean(stats, config, T + 4000 * 500) - p);
      if (error < 0.06) close++;
      worst = Math.max(worst, error);
    }
    // A change detector may restart an arm near the end of a run (about 0.15 false alarms per 1000
    // outcomes); the estimate then rests on few outcomes. Nearly every run is close, none is far off.
    assert.ok(close >= runs * 0.98, `${close}/${runs} runs within 0.06`);
    assert.ok(worst < 0.15, `worst error ${worst}`);
  });

  it('detects a 0.9 -> 0.1 outage within 10 outcomes of the arm in >= 95% of seeds', () => {
    const config = scoringConfig();
    let within = 0;
    const seeds = 400;
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = rngOf(seed * 7919);
      const stats: ScoreSnapshot = {};
      for (let i = 0; i < 1000; i++) feed(stats, config, rng.next() < 0.9, i);
      let alarmedAt = Infinity;
      for (let d = 1; d <= 10 && alarmedAt === Infinity; d++) if (feed(stats, config, rng.next() < 0.1, 1000 + d) > 0) alarmedAt = d;
      if (alarmedAt <= 10) within++;
    }
    assert.ok(within / seeds >= 0.95, `detected within 10 outcomes in ${within}/${seeds} seeds`);
  });

  it('a detected outage makes the arm DOWN-level (estimate below 0.35)', () => {
    const config = scoringConfig();
    const rng = rngOf(3);
    const stats: ScoreSnapshot = {};
    for (let i = 0; i < 1000; i++) feed(stats, config, rng.next() < 0.9, i);
    for (let d = 1; d <= 10; d++) feed(stats, config, false, 1000 + d);
    assert.ok(mean(stats, config, T + 1011 * 500) < 0.35);
  });

  it('raises at most 1 false alarm per 1000 outcomes on a stationary 0.9 stream', () => {
    const config = scoringConfig();
    let alarms = 0;
    let outcomes = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = rngOf(seed);
      const stats: ScoreSnapshot = {};
      for (let i = 0; i < 5000; i++) {
        const a = feed(stats, config, rng.next() < 0.9, i);
        if (i >= 200) {
          alarms += a;
          outcomes++;
        }
      }
    }
    // All four levels of the arm chain are counted: per decision, not per arm.
    assert.ok(alarms / outcomes <= 1 / 1000, `${alarms} alarms in ${outcomes} outcomes`);
  });

  it('ignores failures that do not count against the gateway (shopper / issuer declines)', () => {
    const config = scoringConfig();
    fc.assert(
      fc.property(fc.array(fc.record({ success: fc.boolean(), ignored: fc.boolean() }), { maxLength: 300 }), (events) => {
        const withIgnored: ScoreSnapshot = {};
        const without: ScoreSnapshot = {};
        events.forEach((event, i) => {
          if (event.success) {
            feed(withIgnored, config, true, i);
            feed(without, config, true, i);
          } else if (event.ignored) {
            const result = applyFeedback(withIgnored, { gateway: 'G', segment: SEGMENT, success: false, countsAgainstGateway: false, atMillis: T + i * 500 }, config);
            assert.equal(result.counted, false);
          } else {
            feed(withIgnored, config, false, i);
            feed(without, config, false, i);
          }
        });
        assert.deepEqual(withIgnored, without);
      }),
      { numRuns: 100 },
    );
  });

  it('backs off to the coarser level for a segment with no data, and keeps issuer-specific evidence', () => {
    const config = scoringConfig();
    const stats: ScoreSnapshot = {};
    const rng = rngOf(9);
    for (let i = 0; i < 3000; i++) feed(stats, config, rng.next() < 0.8, i);
    const rare: Segment = { ...SEGMENT, issuer: 'RARE_BANK' };
    const now = T + 3000 * 500;
    assert.ok(Math.abs(mean(stats, config, now, 'G', rare) - mean(stats, config, now)) < 0.03);
  });

  it('a gateway-wide restart propagates to its finer arms', () => {
    const config = scoringConfig();
    const stats: ScoreSnapshot = {};
    const rng = rngOf(11);
    const other: Segment = { ...SEGMENT, issuer: 'ICICI' };
    for (let i = 0; i < 2000; i++) {
      const segment = i % 2 === 0 ? SEGMENT : other;
      applyFeedback(stats, { gateway: 'G', segment, success: rng.next() < 0.95, countsAgainstGateway: true, atMillis: T + i * 500 }, config);
    }
    // Outage seen only through HDFC traffic: the gateway level restarts, and ICICI's stale arm follows.
    for (let d = 1; d <= 12; d++) feed(stats, config, false, 2000 + d);
    assert.ok(mean(stats, config, T + 2013 * 500, 'G', other) < 0.6);
  });
  it('raises at most 1 alarm per 1000 outcomes on arms that are already DOWN (stationary 0.05-0.3)', () => {
    // Before the drop detector was switched off below `adaptive.dropSkipBelow`, a 0.05 stream
    // alarmed about 10 times per 1000 outcomes (each alarm threw away the probes' evidence).
    const config = scoringConfig();
    for (const p of [0.05, 0.1, 0.2, 0.3]) {
      let alarms = 0;
      let outcomes = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const rng = rngOf(seed * 31 + 7);
        const stats: ScoreSnapshot = {};
        for (let i = 0; i < 3000; i++) {
          const a = feed(stats, config, rng.next() < p, i);
          if (i >= 200) {
            alarms += a;
            outcomes++;
          }
        }
      }
      assert.ok(alarms / outcomes <= 1 / 1000, `p=${p}: ${alarms} alarms in ${outcomes} outcomes`);
    }
  });

  it('after an outage ends, the arm is back above 0.8 within 8 outcomes (stale probe failures discarded)', () => {
    const config = scoringConfig();
    for (let seed = 1; seed <= 100; seed++) {
      const rng = rngOf(seed * 13);
      const stats: ScoreSnapshot = {};
      let t = T;
      const at = (success: boolean, dt: number): void => {
        t += dt;
        applyFeedback(stats, { gateway: 'G', segment: SEGMENT, success, countsAgainstGateway: !success, atMillis: t }, config);
      };
      for (let i = 0; i < 1000; i++) at(rng.next() < 0.95, 500);
      // 40 failed probes, one every 50 s (a 33-minute outage), then the gateway is healthy again.
      for (let i = 0; i < 40; i++) at(false, 50_000);
      assert.ok(
        estimateChain(
          armKeys('G', SEGMENT, config).map((k) => stats[k]),
          t,
          config,
        ).mean < 0.35,
        'DOWN during the outage',
      );
      let k = 0;
      while (
        k < 8 &&
        estimateChain(
          armKeys('G', SEGMENT, config).map((key) => stats[key]),
          t,
          config,
        ).mean <= 0.8
      ) {
        at(rng.next() < 0.95, 50_000);
        k++;
      }
      assert.ok(
        estimateChain(
          armKeys('G', SEGMENT, config).map((key) => stats[key]),
          t,
          config,
        ).mean > 0.8,
        `seed ${seed}: still below 0.8 after ${k} outcomes`,
      );
    }
  });

  it('a restarted chain is uncertain: the finest arm borrows no more evidence than its restarted parent has', () => {
    const config = scoringConfig();
    const stats: ScoreSnapshot = {};
    const rng = rngOf(21);
    for (let i = 0; i < 2000; i++) feed(stats, config, rng.next() < 0.95, i);
    const before = estimateChain(
      armKeys('G', SEGMENT, config).map((k) => stats[k]),
      T + 2000 * 500,
      config,
    ).evidence;
    for (let d = 1; d <= 12; d++) feed(stats, config, false, 2000 + d);
    const after = estimateChain(
      armKeys('G', SEGMENT, config).map((k) => stats[k]),
      T + 2013 * 500,
      config,
    ).evidence;
    assert.ok(before > 100, `before: ${before}`);
    assert.ok(after < 40, `after the alarm: ${after}`);
  });
});
