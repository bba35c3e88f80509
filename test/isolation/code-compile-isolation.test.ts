// Issue 10, finding 1: a dry run of a CODE logic whose code is ~1,000 nested parentheses used to
// overflow the compiler's stack on the main thread and mark the whole sandbox unhealthy, so every
// merchant's code logic failed with "sandbox unavailable" until restart. Now the compile runs in a
// worker; whatever it does costs that request alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { DEEP_PARENS, DEMO, activateCode, dryRun, pay, secondTenant, type Tenant } from './isolation-helpers.ts';

describe('a compile that overflows the parser stack hurts nobody else', () => {
  let j: TestApp;
  let b: Tenant;
  before(async () => {
    j = await startTestApp();
    b = await secondTenant(j);
    await activateCode(j, b, 'setGatewayPriority(["SIM_BETA"]);');
  });
  after(async () => {
    await j.close();
  });

  test('deeply nested code in a dry run and on save: a clear answer, and code routing keeps working for every merchant', async () => {
    for (const depth of [1_000, 10_000, 50_000]) {
      const code = `setGatewayPriority(["SIM_ALPHA" + ${'('.repeat(depth)}1${')'.repeat(depth)}]);`;
      if (Buffer.byteLength(code) > 64 * 1024) continue;
      const r = await dryRun(j, DEMO.editors[1]!, code);
      assert.ok(r.status < 500, `dry run of ${depth} parentheses: ${r.status} ${r.body.slice(0, 300)}`);
      const saved = await j.app.inject({
        method: 'POST',
        url: '/v1/priority-logics',
        headers: { authorization: `Bearer test_pl_editor_token_0001`, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: `deep_${depth}`, kind: 'CODE', defaultGateways: [{ gateway: 'SIM_ALPHA' }], definition: { code } }),
      });
      assert.ok(saved.statusCode === 201 || saved.statusCode === 400, `save of ${depth} parentheses: ${saved.statusCode} ${saved.body.slice(0, 300)}`);
      // Merchant B's active code logic still decides its payments.
      const paid = await pay(j, b);
      assert.equal(paid.status, 200, paid.body);
      assert.equal(paid.decision.evaluationStatus, 'CODE_EVALUATED', JSON.stringify(paid.decision.primary));
      assert.equal(paid.txn.gateway, 'SIM_BETA');
    }
    // And the same merchant's next dry run of ordinary code works.
    const ok = await dryRun(j, DEMO.editors[1]!, 'setGatewayPriority(["SIM_BETA"]);');
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.json.decision.evaluationStatus, 'CODE_EVALUATED');
    assert.equal(DEEP_PARENS.length > 2_000, true);
  });
});
