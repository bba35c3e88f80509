import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { decryptSecret, encryptSecret, keyRingFromConfig, cardFingerprint } from './crypto.ts';
import { signReturnParams, verifyReturnParams, signWebhookBody } from './signature.ts';

test("return URL signature follows Juspay's recipe", () => {
  const params = { status_id: '21', order_id: 'o 1', status: 'CHARGED' };
  const key = 'response-key';
  const joined = 'order_id=o%201&status=CHARGED&status_id=21';
  const expected = encodeURIComponent(createHmac('sha256', key).update(encodeURIComponent(joined)).digest('base64'));
  assert.equal(signReturnParams(params, key), expected);
  assert.ok(verifyReturnParams({ ...params, signature: expected, signature_algorithm: 'HMAC-SHA256' }, expected, key));
  assert.equal(verifyReturnParams({ ...params, status: 'AUTHORIZATION_FAILED' }, expected, key), false);
});

test('webhook signature binds timestamp and body', () => {
  const header = signWebhookBody('{"a":1}', 'k', 1700000000);
  assert.equal(header, `t=1700000000,v1=${createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex')}`);
});

test('secrets at rest: AES-GCM with key rotation, tamper-evident', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k0 = Buffer.alloc(32, 2).toString('base64');
  const old = keyRingFromConfig(`k0:${k0}`, 'x');
  const rotated = keyRingFromConfig(`k1:${k1},k0:${k0}`, 'x');
  const sealed = encryptSecret(old, 'secret');
  assert.ok(!sealed.includes('secret'));
  assert.equal(decryptSecret(rotated, sealed), 'secret'); // old data stays readable after rotation
  assert.ok(encryptSecret(rotated, 'secret').startsWith('k1:')); // new data uses the new primary key
  const parts = sealed.split(':');
  parts[3] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => decryptSecret(rotated, parts.join(':')));
  assert.throws(() => keyRingFromConfig('k1:short', 'x'));
});

test('card fingerprints are stable, keyed and do not contain the number', () => {
  const ring = keyRingFromConfig(undefined, 'a');
  const other = keyRingFromConfig(undefined, 'b');
  assert.equal(cardFingerprint(ring, '4111111111111111'), cardFingerprint(ring, '4111111111111111'));
  assert.notEqual(cardFingerprint(ring, '4111111111111111'), cardFingerprint(other, '4111111111111111'));
  assert.ok(!cardFingerprint(ring, '4111111111111111').includes('1111'));
});
