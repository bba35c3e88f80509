// The rate limits' subject of a request (who is asking): a credential's digest, stable for the same
// credential and distinct for different ones, also once the memo of recent digests has been
// emptied and refilled, and for credentials too long to be memoised.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { RECENT_DIGESTS_MAX, rateLimitSubject } from './rate-limits.ts';

const request = (headers: Record<string, string>, ip = '10.0.0.1') => ({ headers, ip }) as unknown as FastifyRequest;
const basic = (key: string) => request({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
const sha = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

test("a key's subject is its SHA-256 prefix, the same before and after the memo of recent digests is emptied", () => {
  const first = rateLimitSubject(basic('key_alpha'), undefined);
  assert.deepEqual(first, { kind: 'key', id: `key:${sha('key_alpha')}` });
  // More distinct keys than the memo holds: it empties and refills; every answer stays the key's own digest.
  const ids = new Set<string>();
  for (let i = 0; i < RECENT_DIGESTS_MAX + 50; i++) {
    const subject = rateLimitSubject(basic(`key_${i}`), undefined)!;
    assert.equal(subject.id, `key:${sha(`key_${i}`)}`);
    ids.add(subject.id);
  }
  assert.equal(ids.size, RECENT_DIGESTS_MAX + 50);
  assert.deepEqual(rateLimitSubject(basic('key_alpha'), undefined), first);
});

test('x-api-key, bearer tokens and a long credential get their own digests; the admin key and no credential do not', () => {
  const long = 'k'.repeat(300);
  assert.deepEqual(rateLimitSubject(request({ 'x-api-key': long }), undefined), { kind: 'key', id: `key:${sha(long)}` });
  assert.deepEqual(rateLimitSubject(request({ 'x-api-key': long }), undefined), { kind: 'key', id: `key:${sha(long)}` });
  assert.deepEqual(rateLimitSubject(request({ authorization: 'Bearer tok_1' }), 'admin'), { kind: 'session', id: `user:${sha('tok_1')}` });
  assert.equal(rateLimitSubject(request({ authorization: 'Bearer admin' }), 'admin'), null);
  assert.deepEqual(rateLimitSubject(request({}), undefined), { kind: 'address', id: 'addr:10.0.0.1' });
});
