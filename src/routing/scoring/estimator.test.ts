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
  return estimateChain(armKeys(gateway, segment, config).map((k) => stats[k]), now, config).mean;
}

describe('estimator', () => {
  it('converges to the true rate on stationary data', () => {
    const config = scoringConfig();
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (p, seed) => {
        const rng = rngOf(seed);
        const stats: ScoreSnapshot = {};
        for (let i = 0; i < 4000; i++) feed(stats, config, rng.next() < p, i);
        const estimate = mean(stats, config, T + 4000 * 500);
        // A change detector may legitimately restart an arm on a rare run; the estimate still tracks p.
        return Math.abs(estimate - p) < 0.06;
      }),
      { numRuns: 40 },
    );
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
});
