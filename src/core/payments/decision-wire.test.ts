import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decideDefaultOrder, readDecisionRecord } from '../../routing/index.ts';
import { routedPaymentArb } from '../../routing/testing/account-arbitraries.ts';
import { referenceDefaultOrder } from '../../routing/testing/reference-default-order.ts';
import { OLD_STORED_DECISIONS } from '../../routing/testing/stored-decisions.ts';
import { decisionWire, storedDecisionWire } from './decision-wire.ts';
import { snakeCaseKeys } from './order-status-view.ts';

/** PostgreSQL's jsonb key order (shorter first, then bytewise): how a stored record reads back. */
function asJsonb(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asJsonb);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, asJsonb((value as Record<string, unknown>)[k])]));
}

describe('decision records on the wire', () => {
  for (const [name, old] of Object.entries(OLD_STORED_DECISIONS)) {
    it(`${name}: the order status and transaction trace show it byte for byte as before`, () => {
      const before = JSON.stringify(snakeCaseKeys(asJsonb(old)));
      assert.equal(JSON.stringify(storedDecisionWire(readDecisionRecord(asJsonb(old))!)), before);
    });
    it(`${name}: decide-gateway shows it byte for byte as before`, () => {
      assert.equal(JSON.stringify(decisionWire(readDecisionRecord(old)!)), JSON.stringify(old));
    });
  }

  it("a default ordering decided now shows exactly the old default router's record", () => {
    fc.assert(
      fc.property(routedPaymentArb, (p) => {
        const reference = referenceDefaultOrder(p).record;
        const record = decideDefaultOrder(p);
        assert.equal(JSON.stringify(decisionWire(record)), JSON.stringify(reference));
        const stored = readDecisionRecord(asJsonb(JSON.parse(JSON.stringify(record))))!;
        assert.equal(JSON.stringify(storedDecisionWire(stored)), JSON.stringify(snakeCaseKeys(asJsonb(reference))));
      }),
      { numRuns: 200 },
    );
  });
});
