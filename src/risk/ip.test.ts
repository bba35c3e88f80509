// IP list keys shown as addresses: the text of a key normalises back to the same key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ipKey, ipKeyText, maskBytes } from './ip.ts';
import { normaliseListValue } from './lists.ts';

test('known keys read as people write them', () => {
  assert.equal(ipKeyText('4:c6336407'), '198.51.100.7');
  assert.equal(ipKeyText('4:cb007100/24'), '203.0.113.0/24');
  assert.equal(ipKeyText(`6:20010db8${'0'.repeat(24)}/32`), '2001:db8::/32');
  assert.equal(ipKeyText(`6:${'0'.repeat(31)}1`), '::1');
  assert.equal(ipKeyText('alice@example.com'), null);
  assert.equal(ipKeyText('4:c63364'), null, 'a v4 key has 8 hex digits');
});

test('every address and network key round-trips through its text (property)', () => {
  const bytes = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }));
  fc.assert(
    fc.property(bytes, fc.option(fc.nat(128)), (raw, prefixRaw) => {
      // An IPv4-mapped IPv6 address is its IPv4 address (parseIp says so), so it is not a v6 key.
      fc.pre(!(raw.length === 16 && raw.subarray(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff));
      const prefix = prefixRaw === null ? null : prefixRaw % (raw.length * 8 + 1);
      const key = prefix === null ? ipKey(raw) : `${ipKey(maskBytes(raw, prefix))}/${prefix}`;
      const text = ipKeyText(key);
      assert.ok(text, key);
      const back = normaliseListValue('ip', text);
      assert.deepEqual(back, { ok: true, value: key }, `${key} -> ${text}`);
    }),
    { numRuns: 2000 },
  );
});
