// Issue 10, finding 5: input that used to reach PostgreSQL and come back as a 500 is now refused in
// one place (src/http/input-guard.ts) with a 400 naming the field, and nothing is written.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { MAX_DEPTH, findUnsafeInput } from '../../src/http/input-guard.ts';
import { assertApiError, countRows, createOrderOk, get, post } from '../helpers/api-helpers.ts';
import { DEMO_USER_TOKENS, startTestApp, type TestApp } from '../helpers/test-app.ts';

const admin = { authorization: `Bearer ${DEMO_USER_TOKENS.admin}` };

describe('input hardening through the API', () => {
  let j: TestApp;
  before(async () => {
    j = await startTestApp();
  });
  after(async () => {
    await j.close();
  });

  test('a NUL character anywhere is a 400 naming the field, never a 500, and writes nothing', async () => {
    const before = await countRows(j, 'orders');
    const cases: Array<[string, () => Promise<{ status: number; body: string; json: Record<string, any> }>, string]> = [
      ['POST /order/status', () => post(j, '/order/status', 'order_id=a%00b', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 'order_id'],
      ['POST /orders (form)', () => post(j, '/orders', 'order_id=nul1&amount=10.00&udf1=x%00y', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 'udf1'],
      ['POST /orders (JSON, nested)', () => post(j, '/orders', { order_id: 'nul2', amount: '10.00', 'metadata.note': 'a\u0000' }), 'metadata.note'],
      [
        'POST /v1/auth/login',
        () => j.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'a\u0000@example.com', password: 'x' } }).then((r) => ({ status: r.statusCode, body: r.body, json: r.json() })),
        'email',
      ],
      ['GET /v1/dashboard/orders?search=%00', () => get(j, '/v1/dashboard/orders?search=%00', { auth: admin.authorization }), 'search'],
      ['GET /v1/priority-logics/audit?search=%00', () => get(j, '/v1/priority-logics/audit?search=%00', { auth: admin.authorization }), 'search'],
      ['GET /orders/%00', () => get(j, '/orders/%00'), 'order_id'],
      [
        'API key label',
        () =>
          j.app
            .inject({
              method: 'POST',
              url: '/admin/v1/merchants/demo_merchant/api-keys',
              headers: { authorization: 'Bearer test-admin-key', 'content-type': 'application/json' },
              payload: JSON.stringify({ label: 'ci\u0000' }),
            })
            .then((r) => ({ status: r.statusCode, body: r.body, json: r.json() })),
        'label',
      ],
    ];
    for (const [what, send, field] of cases) {
      const r = await send();
      assert.equal(r.status, 400, `${what}: ${r.body}`);
      assert.equal(r.json.error_info.fields[0].field_name, field, `${what}: ${r.body}`);
      assert.match(r.json.error_info.fields[0].reason, /NUL/);
    }
    assert.equal(await countRows(j, 'orders'), before);
  });

  test('unpaired surrogates, prototype keys and deep nesting are refused the same way', async () => {
    let r = await post(j, '/orders', { order_id: 'sur1', amount: '10.00', description: 'caf\ud800' });
    assertApiError(r, 400, { field: 'description' });
    assert.match(r.json.error_info.fields[0].reason, /surrogate/);
    r = await post(j, '/orders', '{"order_id":"proto1","amount":"10.00","__proto__":{"admin":true}}', { headers: { 'content-type': 'application/json' } });
    assertApiError(r, 400, { field: '__proto__' });
    let nested: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH + 5; i++) nested = { a: nested };
    r = await post(j, '/orders', { order_id: 'deep1', amount: '10.00', udf1: nested } as unknown as Record<string, string>);
    assert.equal(r.status, 400, r.body);
    assert.match(r.json.error_info.fields[0].reason, /nested too deeply/);
    assert.equal(await countRows(j, 'orders', "order_id IN ('sur1','proto1','deep1')"), 0);
    // Paired surrogates (emoji) are fine.
    const ok = await post(j, '/orders', { order_id: 'emoji1', amount: '10.00', description: 'thanks 🙂' });
    assert.equal(ok.status, 200, ok.body);
  });

  test('a malformed URL and a broken multipart upload are 400s naming url and file', async () => {
    const url = await get(j, '/orders/%E0%A4%A');
    assertApiError(url, 400, { field: 'url' });
    for (const [type, payload] of [
      ['multipart/form-data', 'xx'],
      ['multipart/form-data; boundary=zz', '--zz\r\nbroken'],
    ] as const) {
      const r = await j.app.inject({ method: 'POST', url: '/v1/priority-logics/import', headers: { ...admin, 'content-type': type }, payload });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().error_info.fields[0].field_name, 'file', r.body);
    }
    // A well-formed upload whose JSON holds a NUL is refused naming the field inside the file.
    const boundary = 'b0undary';
    const doc = JSON.stringify({ format: 'junction.priority-logic', version: 1, name: 'x\u0000', kind: 'DEFAULT', enforce: false, defaultGateways: [{ gateway: 'SIM_ALPHA' }] });
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="l.json"\r\nContent-Type: application/json\r\n\r\n${doc}\r\n--${boundary}--\r\n`;
    const r = await j.app.inject({ method: 'POST', url: '/v1/priority-logics/import', headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().error_info.fields[0].field_name, 'file.name');
  });

  test('ordinary input still works', async () => {
    const orderId = await createOrderOk(j, { description: 'Ünïcode ✓ 中文', udf1: 'plain' });
    assert.equal((await get(j, `/orders/${orderId}`)).status, 200);
  });
});

describe('input guard (property)', () => {
  test('a value is refused exactly when some string in it holds a NUL or an unpaired surrogate, or a key is reserved', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'prototype'));
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    const bad = (s: string): boolean => s.includes('\u0000') || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
    const unsafe = (v: unknown): boolean => {
      if (typeof v === 'string') return bad(v);
      if (Array.isArray(v)) return v.some(unsafe);
      if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => ['__proto__', 'constructor', 'prototype'].includes(k) || bad(k) || unsafe(x));
      return false;
    };
    fc.assert(
      fc.property(tree, (v) => (findUnsafeInput(v, '') !== null) === unsafe(v)),
      { seed: 10, numRuns: 2000 },
    );
  });
});
