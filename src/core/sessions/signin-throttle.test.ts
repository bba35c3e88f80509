// The sign-in throttle's policy, pure: budgets, growing delays, refused attempts not counted,
// trusted pairs, decay. Plus a property: however attempts are spread in time, a pair never gets
// more than its budget plus one attempt per elapsed delay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ThrottleCounter } from '../ports/signin-throttle-store.ts';
import { DEFAULT_THROTTLE_POLICY, admitAttempt, recordSuccess, throttleKeys, type AttemptDecision } from './signin-throttle.ts';

const policy = DEFAULT_THROTTLE_POLICY;

function memory() {
  const counters = new Map<string, ThrottleCounter>();
  return {
    counters,
    attempt(email: string, address: string, now: number): AttemptDecision {
      const { result, next } = admitAttempt(counters, throttleKeys(email, address), now, policy);
      for (const [k, v] of next) counters.set(k, v);
      return result;
    },
    success(email: string, address: string, now: number): void {
      for (const [k, v] of recordSuccess(counters, throttleKeys(email, address), now, policy)) counters.set(k, v);
    },
  };
}

describe('sign-in throttle policy', () => {
  test('the pair budget passes at once; then each failure doubles the wait', () => {
    const m = memory();
    const t0 = 1_000_000;
    for (let i = 0; i < policy.budgets.pair - 1; i++) assert.equal(m.attempt('a@x', '1.1.1.1', t0).allowed, true);
    assert.equal(m.attempt('a@x', '1.1.1.1', t0).allowed, true); // the 5th: allowed, and it starts the delay
    const refused = m.attempt('a@x', '1.1.1.1', t0);
    assert.deepEqual(refused, { allowed: false, retryAfterMs: 1_000, key: 'pair' });
    // Refused attempts are not counted: the wait does not grow while it is being hammered.
    for (let i = 0; i < 50; i++) assert.equal(m.attempt('a@x', '1.1.1.1', t0 + 500).allowed, false);
    assert.equal(m.attempt('a@x', '1.1.1.1', t0 + 1_000).allowed, true);
    const second = m.attempt('a@x', '1.1.1.1', t0 + 1_000);
    assert.ok(!second.allowed && second.retryAfterMs === 2_000, JSON.stringify(second));
    assert.equal(m.attempt('a@x', '1.1.1.1', t0 + 3_000).allowed, true);
    const third = m.attempt('a@x', '1.1.1.1', t0 + 3_000);
    assert.ok(!third.allowed && third.retryAfterMs === 4_000);
  });

  test('delays stop growing at 15 minutes and are forgotten after an hour without failures', () => {
    const m = memory();
    let t = 0;
    for (let i = 0; i < 40; i++) {
      const r = m.attempt('b@x', '2.2.2.2', t);
      if (!r.allowed) {
        assert.ok(r.retryAfterMs <= policy.maxDelayMs);
        t += r.retryAfterMs;
      }
    }
    const capped = m.attempt('b@x', '2.2.2.2', t);
    assert.ok(capped.allowed || capped.retryAfterMs === policy.maxDelayMs, JSON.stringify(capped));
    t += policy.decayMs + policy.maxDelayMs + 1;
    for (let i = 0; i < policy.budgets.pair; i++) assert.equal(m.attempt('b@x', '2.2.2.2', t).allowed, true);
  });

  test('failures from many addresses hold back the email, but not an address that signed in before', () => {
    const m = memory();
    const t = 5_000_000;
    m.attempt('owner@x', '10.0.0.1', t);
    m.success('owner@x', '10.0.0.1', t);
    // An attacker rotates addresses: each pair stays under its budget, the email's counter fills
    // (the owner's own first attempt counted on it too, before it was trusted).
    for (let i = 0; i < policy.budgets.email - 1; i++) assert.equal(m.attempt('owner@x', `192.0.2.${i}`, t + 1).allowed, true);
    const fresh = m.attempt('owner@x', '198.51.100.7', t + 1);
    assert.ok(!fresh.allowed && fresh.key === 'email', JSON.stringify(fresh));
    const owner = m.attempt('owner@x', '10.0.0.1', t + 1);
    assert.deepEqual(owner, { allowed: true, trusted: true });
  });

  test('one address spraying many emails is held back by the address counter', () => {
    const m = memory();
    for (let i = 0; i < policy.budgets.address; i++) assert.equal(m.attempt(`user${i}@x`, '203.0.113.9', 0).allowed, true);
    const r = m.attempt('someone@x', '203.0.113.9', 0);
    assert.ok(!r.allowed && r.key === 'address');
    assert.equal(m.attempt('someone@x', '203.0.113.10', 0).allowed, true);
  });

  test('property: a pair never gets more attempts than its budget plus one per elapsed delay', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }), (gaps) => {
        const m = memory();
        let t = 0;
        let allowed = 0;
        for (const gap of gaps) {
          t += gap;
          if (m.attempt('p@x', '9.9.9.9', t).allowed) allowed++;
        }
        // With delays 1, 2, 4, ... s after the budget, k extra attempts need 2^k - 1 seconds.
        const extra = Math.floor(Math.log2(t / 1_000 + 1)) + 1;
        return allowed <= policy.budgets.pair + extra;
      }),
      { seed: 1010, numRuns: 300 },
    );
  });
});
