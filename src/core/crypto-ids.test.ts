// newId: prefixed ids of 96 random bits, drawn from a pooled CSPRNG buffer. Distinct across many
// refills of the pool, and every hex digit is used (the pool is refilled, not reused).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from './crypto.ts';

test('newId gives distinct prefixed 24-hex-digit ids across many refills of its entropy pool', () => {
  const ids = new Set<string>();
  const count = 20_000; // about 59 refills of the 341-id pool
  for (let i = 0; i < count; i++) {
    const id = newId('txn');
    assert.match(id, /^txn_[0-9a-f]{24}$/);
    ids.add(id);
  }
  assert.equal(ids.size, count);
  // Roughly uniform digits: each of the 16 appears about count * 24 / 16 = 30,000 times.
  const digits = new Map<string, number>();
  for (const id of ids) for (const d of id.slice(4)) digits.set(d, (digits.get(d) ?? 0) + 1);
  assert.equal(digits.size, 16);
  for (const [d, n] of digits) assert.ok(n > 28_000 && n < 32_000, `digit ${d}: ${n}`);
});
