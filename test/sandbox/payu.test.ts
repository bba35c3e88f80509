// The connector conformance suite against PayU India's test environment (https://test.payu.in):
// `npm run test:sandbox` with PAYU_SANDBOX_KEY and PAYU_SANDBOX_SALT (a test merchant's key and salt:
// PayU Dashboard > Developers, test mode). Optional: PAYU_BASE_URL (another origin),
// PAYU_SANDBOX_RAW_CARD=true (the account is enabled for server-to-server cards). Cards are redirect
// first: the suite plays the shopper by posting the form to PayU and following PayU's test bank page,
// which needs PayU's test OTP (PAYU_SANDBOX_OTP, 123456 on PayU's test cards). Without the key and
// salt every test is skipped, saying why.
import { test } from 'node:test';
import { runConnectorConformance } from '../../src/connectors/connector-conformance.ts';
import { createHttpTransport } from '../../src/connectors/kit/transport.ts';
import { reverseHash } from '../../src/connectors/payu/hash.ts';
import { createPayuConnector } from '../../src/connectors/payu/payu-connector.ts';
import { firstForm, payuCardRequest } from '../../src/connectors/payu/test-fixtures.ts';

const key = process.env.PAYU_SANDBOX_KEY;
const salt = process.env.PAYU_SANDBOX_SALT;
const otp = process.env.PAYU_SANDBOX_OTP ?? '123456';

/** Follows PayU's test pages as a browser would, submitting the test OTP where asked, until PayU posts to our return URL. */
async function shopper(authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> }, returnUrl: string): Promise<Record<string, string>> {
  let response = await fetch(authentication.url, {
    method: authentication.method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: authentication.method === 'POST' ? new URLSearchParams(authentication.params ?? {}).toString() : undefined,
    redirect: 'follow',
  });
  for (let step = 0; step < 8; step++) {
    const form = firstForm(await response.text());
    if (!form) return {};
    if (form.action.startsWith(returnUrl)) return form.inputs;
    const fields = { ...form.inputs, ...(Object.keys(form.inputs).some((name) => /otp/i.test(name)) ? { otp } : {}) };
    response = await fetch(new URL(form.action, response.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'follow',
    });
  }
  return {};
}

if (!key || !salt) {
  test('PayU India sandbox conformance', (t) =>
    t.skip("PAYU_SANDBOX_KEY and PAYU_SANDBOX_SALT are not set: set them to a PayU test merchant's key and salt to run the conformance suite against test.payu.in"));
} else {
  runConnectorConformance('payu india (test.payu.in)', async () => {
    const transport = createHttpTransport({ deadlineMs: 30_000 });
    const connector = createPayuConnector({ transport, publicBaseUrl: 'https://example.com', baseUrls: process.env.PAYU_BASE_URL ? { PAYU: process.env.PAYU_BASE_URL } : {} });
    const returnUrl = 'https://example.com/payu/return';
    const account = {
      accountId: 'sandbox',
      merchantId: 'sandbox',
      gateway: 'PAYU',
      gatewayReferenceId: null,
      credentials: { merchant_key: key, merchant_salt: salt, raw_card_data_enabled: process.env.PAYU_SANDBOX_RAW_CARD === 'true' ? 'true' : 'false' },
    };
    // PayU's published test card (success); a decline is asked for with the card PayU documents as failing.
    let number = '5123456789012346';
    return {
      connector,
      account,
      forceSuccess: () => {
        number = '5123456789012346';
      },
      forceDecline: () => {
        number = '4111111111111111';
      },
      cardRequest: (overrides) => payuCardRequest({ returnUrl, ...overrides }, number),
      redirectFirst: { complete: (authentication) => shopper(authentication, returnUrl) },
      // PayU posts its callback to the dashboard's URL; here the same fields are read back with verify_payment and signed the way PayU signs them.
      signedPaymentWebhook: async (txnid) => {
        const synced = await connector.syncStatus(account, txnid);
        const body = (synced.raw.body ?? {}) as Record<string, string>;
        const fields: Record<string, string> = {
          key,
          txnid,
          status: String(body.status ?? 'success'),
          unmappedstatus: String(body.unmappedstatus ?? ''),
          mihpayid: String(body.mihpayid ?? ''),
          amount: String(body.amt ?? ''),
          productinfo: String(body.productinfo ?? ''),
          firstname: String(body.firstname ?? ''),
          email: String(body.email ?? ''),
          udf1: String(body.udf1 ?? ''),
          udf2: String(body.udf2 ?? ''),
        };
        fields.hash = reverseHash(fields, salt);
        const rawBody = new URLSearchParams(fields).toString();
        return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody, body: fields };
      },
      unsignedWebhook: (signed) => {
        const fields = new URLSearchParams(signed.rawBody);
        fields.delete('hash');
        return { ...signed, rawBody: fields.toString() };
      },
      close: () => transport.close(),
    };
  });
}
