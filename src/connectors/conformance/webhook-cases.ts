// Conformance: a signed webhook parses; a tampered, unsigned or wrongly keyed one is rejected.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../core/ports/connector.ts';
import type { ConformanceSuite } from './suite.ts';

export function webhookCases(suite: ConformanceSuite): void {
  const { setup, request, authorize } = suite;

  it('webhook: a correct signature parses; any tampering is rejected', async () => {
    const h = await setup();
    await h.forceSuccess();
    const auth = await authorize(request());
    const signed = await h.signedPaymentWebhook(auth.raw.gatewayTxnId!);
    const parsed = await h.connector.parseWebhook(h.account, signed);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') assert.equal(parsed.gatewayTxnId, auth.raw.gatewayTxnId);

    // Change the amount (wherever the gateway puts it) or, failing that, the payment's id.
    let tamperedRaw = signed.rawBody.replace(/"amount":\d+/, '"amount":1');
    if (tamperedRaw === signed.rawBody) tamperedRaw = signed.rawBody.replace(/"value":\d+/, '"value":1');
    const id = auth.raw.gatewayTxnId!;
    if (tamperedRaw === signed.rawBody) tamperedRaw = signed.rawBody.replace(id, `${id.slice(0, -1)}${id.endsWith('1') ? '2' : '1'}`);
    const tamperedBody = h.tamperedWebhook ? h.tamperedWebhook(signed) : { ...signed, rawBody: tamperedRaw };
    assert.notEqual(tamperedBody.rawBody, signed.rawBody);
    await assert.rejects(h.connector.parseWebhook(h.account, tamperedBody), ConnectorError);
    // Without its signature (a header, or a field of the body for gateways that sign inside it: Adyen).
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([key]) => !/signature/i.test(key)));
    if (h.unsignedWebhook) {
      const unsigned = h.unsignedWebhook(signed);
      assert.ok(unsigned.rawBody !== signed.rawBody || JSON.stringify(unsigned.headers) !== JSON.stringify(signed.headers), 'the signature was removed (from the body or the headers)');
      await assert.rejects(h.connector.parseWebhook(h.account, unsigned), ConnectorError);
    } else if (Object.keys(headers).length < Object.keys(signed.headers).length) {
      await assert.rejects(h.connector.parseWebhook(h.account, { ...signed, headers }), ConnectorError);
    } else {
      const unsigned = signed.rawBody.replace(/"(\w*[sS]ignature)"\s*:\s*"[^"]*"/, '"$1":""');
      assert.notEqual(unsigned, signed.rawBody, 'the signature is somewhere: a header or the body');
      await assert.rejects(h.connector.parseWebhook(h.account, { ...signed, rawBody: unsigned }), ConnectorError);
    }
    const otherSecret = { ...h.account, credentials: Object.fromEntries(Object.keys(h.account.credentials).map((key) => [key, 'not-the-secret'])) };
    await assert.rejects(h.connector.parseWebhook(otherSecret, signed), ConnectorError);
  });
}
