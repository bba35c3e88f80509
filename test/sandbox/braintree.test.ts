// The connector conformance suite against Braintree's live sandbox: `npm run test:sandbox` with
// BRAINTREE_SANDBOX_MERCHANT_ID, BRAINTREE_SANDBOX_PUBLIC_KEY and BRAINTREE_SANDBOX_PRIVATE_KEY
// (Control Panel > Settings > API of a sandbox gateway) and optionally
// BRAINTREE_SANDBOX_MERCHANT_ACCOUNT_ID (a USD merchant account) and BRAINTREE_BASE_URL. Payments use
// the sandbox's fake nonces (fake-valid-nonce, fake-processor-declined-visa-nonce), so no raw card
// permission is needed. The sandbox settles in a daily batch; before a refund (and after a capture,
// so that a captured payment is no longer voidable, as the suite expects) the harness calls the
// sandbox's own testing API (PUT .../transactions/{id}/settle), as the official SDK's
// gateway.testing.settle does. Webhooks are built from the live transaction and signed with the
// account's private key the way Braintree signs them. Without the keys every test is skipped, saying why.
import { test } from 'node:test';
import type { Connector, ConnectorAccount } from '../../src/core/ports/connector.ts';
import { runConnectorConformance } from '../../src/connectors/connector-conformance.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import { braintreeDefinition, createBraintreeConnector, BRAINTREE_API_VERSION } from '../../src/connectors/braintree/braintree-connector.ts';
import { braintreeCardRequest } from '../../src/connectors/braintree/test-fixtures.ts';
import { signBraintreePayload } from '../../src/connectors/braintree/webhooks.ts';
import { readAnswer, str } from '../../src/connectors/braintree/transformers.ts';

const merchantId = process.env.BRAINTREE_SANDBOX_MERCHANT_ID;
const publicKey = process.env.BRAINTREE_SANDBOX_PUBLIC_KEY;
const privateKey = process.env.BRAINTREE_SANDBOX_PRIVATE_KEY;
const merchantAccountId = process.env.BRAINTREE_SANDBOX_MERCHANT_ACCOUNT_ID;
const baseUrl = (process.env.BRAINTREE_BASE_URL ?? braintreeDefinition.defaultBaseUrl).replace(/\/$/, '');

if (!merchantId || !publicKey || !privateKey) {
  test('Braintree sandbox conformance', (t) =>
    t.skip(
      "BRAINTREE_SANDBOX_MERCHANT_ID, BRAINTREE_SANDBOX_PUBLIC_KEY and BRAINTREE_SANDBOX_PRIVATE_KEY are not set: set them to a sandbox gateway's API keys to run the conformance suite against Braintree's sandbox",
    ));
} else {
  const headers = {
    authorization: `Basic ${Buffer.from(`${publicKey}:${privateKey}`).toString('base64')}`,
    'x-apiversion': BRAINTREE_API_VERSION,
    accept: 'application/xml',
  };
  /** The sandbox's testing API: settle a submitted transaction now (sandbox only). */
  const settle = async (id: string): Promise<void> => {
    const response = await fetch(`${baseUrl}/merchants/${merchantId}/transactions/${encodeURIComponent(id)}/settle`, { method: 'PUT', headers });
    await response.arrayBuffer();
  };

  runConnectorConformance('braintree (live sandbox)', async () => {
    const transport = createHttpTransport({ deadlineMs: 30_000 });
    const real = createBraintreeConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.BRAINTREE_BASE_URL ? { BRAINTREE: process.env.BRAINTREE_BASE_URL } : {} });
    const connector: Connector = {
      ...real,
      async capture(account, id, amount, currency, key) {
        const outcome = await real.capture(account, id, amount, currency, key);
        if (outcome.kind === 'SUCCESS') await settle(id);
        return outcome;
      },
      async refund(account, request) {
        await settle(request.gatewayTxnId);
        return real.refund(account, request);
      },
    };
    let nonce = 'fake-valid-nonce';
    const account: ConnectorAccount = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'BRAINTREE',
      gatewayReferenceId: null,
      credentials: { merchant_id: merchantId, public_key: publicKey, private_key: privateKey, ...(merchantAccountId ? { merchant_account_id: merchantAccountId } : {}) },
    };
    return {
      connector,
      account,
      forceSuccess: () => {
        nonce = 'fake-valid-nonce';
      },
      forceDecline: () => {
        nonce = 'fake-processor-declined-visa-nonce';
      },
      cardRequest: (overrides) => braintreeCardRequest({ currency: 'USD', card: null, gatewayToken: nonce, returnUrl: 'https://example.com/return', ...overrides }),
      signedPaymentWebhook: async (id) => {
        const response = await fetch(`${baseUrl}/merchants/${merchantId}/transactions/${encodeURIComponent(id)}`, { headers });
        const answer = readAnswer(await response.text());
        const amount = answer.kind === 'transaction' ? (str(answer.transaction.amount) ?? '0.00') : '0.00';
        const xml = `<notification><timestamp type="datetime">${new Date().toISOString()}</timestamp><kind>transaction_settled</kind><subject><transaction><id>${id}</id><status>settled</status><type>sale</type><amount>${amount}</amount></transaction></subject></notification>`;
        const payload = `${Buffer.from(xml).toString('base64')}\n`;
        const fields = { bt_signature: signBraintreePayload(payload, publicKey, privateKey), bt_payload: payload };
        const rawBody = new URLSearchParams(fields).toString();
        return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody, body: fields };
      },
      unsignedWebhook: (signed) => {
        const form = new URLSearchParams(signed.rawBody);
        form.delete('bt_signature');
        return { headers: signed.headers, rawBody: form.toString(), body: Object.fromEntries(form) };
      },
      close: () => transport.close(),
    };
  });
}
