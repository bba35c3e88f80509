// Braintree's official Node SDK (`braintree` 3.40, the test oracle: never used at run time) as an
// independent second implementation, both ways:
// 1. webhooks: the SDK's webhookTesting.sampleNotification signs payloads our verifier must accept
//    and parse (and refuse once tampered); the emulator's notifications must pass the SDK's own
//    webhookNotification.parse;
// 2. the API: the SDK, pointed at the emulator with a custom braintree.Environment (127.0.0.1, its
//    port, no TLS), performs sale, submitForSettlement, void, testing.settle, refund, find and search
//    and must accept every answer (result.success, transaction.status, its error objects), while the
//    emulator records no contract violation; and every field the emulator's contract allows must be
//    one the SDK's own request signature allows.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { BRAINTREE_CONTRACT } from '../../../emulators/braintree/contract.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createBraintreeConnector } from './braintree-connector.ts';
import { BRAINTREE_MERCHANT_ID, BRAINTREE_PRIVATE_KEY, BRAINTREE_PUBLIC_KEY, braintreeAccount, braintreeCardRequest } from './test-fixtures.ts';

// ---- the slice of the SDK this test uses (the package ships no types) ----
interface SdkTransaction {
  id: string;
  status: string;
  type: string;
  amount: string;
  orderId?: string;
  currencyIsoCode: string;
  processorResponseCode: string;
  processorResponseType: string;
  gatewayRejectionReason: string | null;
  refundedTransactionId?: string | null;
  refundIds?: string[];
  creditCard: { last4: string; cardType: string; maskedNumber: string };
  threeDSecureInfo?: { liabilityShifted: boolean; status: string };
}
interface SdkResult {
  success: boolean;
  transaction: SdkTransaction;
  message?: string;
  errors: { deepErrors(): Array<{ code: string; attribute: string; message: string }> };
}
interface SdkNotification {
  kind: string;
  timestamp: Date | string;
  transaction?: SdkTransaction;
}
interface SdkGateway {
  transaction: {
    sale(attributes: Record<string, unknown>): Promise<SdkResult>;
    submitForSettlement(id: string, amount?: string): Promise<SdkResult>;
    void(id: string): Promise<SdkResult>;
    refund(id: string, options?: Record<string, unknown> | string): Promise<SdkResult>;
    find(id: string): Promise<SdkTransaction>;
    search(build: (search: { orderId(): { is(value: string): void } }) => void): NodeJS.ReadableStream;
    _createSignature(): { valid: string[]; ignore: string[] };
  };
  testing: { settle(id: string): Promise<{ transaction: SdkTransaction }> };
  webhookTesting: { sampleNotification(kind: string, id: string): { bt_signature: string; bt_payload: string } };
  webhookNotification: { parse(signature: string, payload: string): Promise<SdkNotification> };
}
interface SdkModule {
  BraintreeGateway: new (config: Record<string, unknown>) => SdkGateway;
  Environment: new (server: string, port: string | number, authUrl: string, ssl: boolean, graphQLServer: string, graphQLPort: string | number) => unknown;
  WebhookNotification: { Kind: Record<string, string> };
}
const braintree = createRequire(import.meta.url)('braintree') as SdkModule;

let emulator: BraintreeEmulator;
let gateway: SdkGateway;
let transport: HttpTransport;
let connector: ReturnType<typeof createBraintreeConnector>;

before(async () => {
  emulator = await startBraintreeEmulator();
  const environment = new braintree.Environment('127.0.0.1', emulator.port, `http://127.0.0.1:${emulator.port}`, false, '127.0.0.1', emulator.port);
  gateway = new braintree.BraintreeGateway({ environment, merchantId: BRAINTREE_MERCHANT_ID, publicKey: BRAINTREE_PUBLIC_KEY, privateKey: BRAINTREE_PRIVATE_KEY });
  transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
  connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
});
after(async () => {
  await transport.close();
  await emulator.close();
});

const card = (number = '4111111111111111', cvv = '123') => ({ number, expirationDate: '12/2031', cvv });

describe('the official Braintree SDK against the emulator', () => {
  test('sale with submitForSettlement: success, submitted_for_settlement, the amount and card as the SDK reads them', async () => {
    const result = await gateway.transaction.sale({ amount: '10.00', paymentMethodNonce: 'fake-valid-nonce', orderId: 'sdk-sale-1', options: { submitForSettlement: true } });
    assert.equal(result.success, true);
    assert.equal(result.transaction.status, 'submitted_for_settlement');
    assert.equal(result.transaction.type, 'sale');
    assert.equal(result.transaction.amount, '10.00');
    assert.equal(result.transaction.orderId, 'sdk-sale-1');
    assert.equal(result.transaction.currencyIsoCode, 'USD');
    assert.equal(result.transaction.processorResponseCode, '1000');
    assert.equal(result.transaction.processorResponseType, 'approved');
    assert.match(result.transaction.id, /^[a-z0-9]{8}$/);
    assert.equal((await gateway.transaction.find(result.transaction.id)).status, 'submitted_for_settlement');
  });

  test('authorise a raw card, submit part of it for settlement, settle it (testing API), refund part of it: a credit of its own', async () => {
    const auth = await gateway.transaction.sale({ amount: '50.00', creditCard: card(), orderId: 'sdk-manual' });
    assert.equal(auth.success, true);
    assert.equal(auth.transaction.status, 'authorized');
    assert.equal(auth.transaction.creditCard.last4, '1111');
    assert.equal(auth.transaction.creditCard.maskedNumber, '411111******1111');
    const captured = await gateway.transaction.submitForSettlement(auth.transaction.id, '30.00');
    assert.equal(captured.success, true);
    assert.equal(captured.transaction.status, 'submitted_for_settlement');
    assert.equal(captured.transaction.amount, '30.00');
    const early = await gateway.transaction.refund(auth.transaction.id, '5.00');
    assert.equal(early.success, false, 'a sale must settle before it is refunded');
    assert.equal(early.errors.deepErrors()[0]!.code, '91506');
    const settled = await gateway.testing.settle(auth.transaction.id);
    assert.equal(settled.transaction.status, 'settled');
    const refund = await gateway.transaction.refund(auth.transaction.id, { amount: '12.50', orderId: 'sdk-refund-1' });
    assert.equal(refund.success, true);
    assert.equal(refund.transaction.type, 'credit');
    assert.equal(refund.transaction.amount, '12.50');
    assert.equal(refund.transaction.refundedTransactionId, auth.transaction.id);
    assert.deepEqual((await gateway.transaction.find(auth.transaction.id)).refundIds, [refund.transaction.id]);
    const tooMuch = await gateway.transaction.refund(auth.transaction.id, '20.00');
    assert.equal(tooMuch.success, false);
    assert.equal(tooMuch.errors.deepErrors()[0]!.code, '91521');
  });

  test('void an authorisation; a second void and a capture of it are validation errors the SDK reads', async () => {
    const auth = await gateway.transaction.sale({ amount: '7.00', paymentMethodNonce: 'fake-valid-mastercard-nonce' });
    const voided = await gateway.transaction.void(auth.transaction.id);
    assert.equal(voided.success, true);
    assert.equal(voided.transaction.status, 'voided');
    const again = await gateway.transaction.void(auth.transaction.id);
    assert.equal(again.success, false);
    assert.deepEqual(
      again.errors.deepErrors().map((e) => [e.code, e.attribute]),
      [['91504', 'base']],
    );
    const capture = await gateway.transaction.submitForSettlement(auth.transaction.id);
    assert.equal(capture.errors.deepErrors()[0]!.code, '91507');
  });

  test('declines and rejections come back as the SDK expects: success false with the transaction, its codes and types', async () => {
    const declined = await gateway.transaction.sale({ amount: '2001.00', creditCard: card() });
    assert.equal(declined.success, false);
    assert.equal(declined.message, 'Insufficient Funds');
    assert.equal(declined.transaction.status, 'processor_declined');
    assert.equal(declined.transaction.processorResponseCode, '2001');
    assert.equal(declined.transaction.processorResponseType, 'soft_declined');
    const hard = await gateway.transaction.sale({ amount: '2004.00', creditCard: card() });
    assert.equal(hard.transaction.processorResponseType, 'hard_declined');
    const failed = await gateway.transaction.sale({ amount: '3000.00', creditCard: card() });
    assert.equal(failed.transaction.status, 'failed');
    assert.equal(failed.transaction.processorResponseCode, '3000');
    const cvv = await gateway.transaction.sale({ amount: '10.00', creditCard: card('4111111111111111', '200') });
    assert.equal(cvv.transaction.status, 'gateway_rejected');
    assert.equal(cvv.transaction.gatewayRejectionReason, 'cvv');
    const threeDs = await gateway.transaction.sale({ amount: '10.00', paymentMethodNonce: 'fake-valid-nonce', options: { threeDSecure: { required: true } } });
    assert.equal(threeDs.transaction.gatewayRejectionReason, 'three_d_secure');
    const invalid = await gateway.transaction.sale({ amount: '10.001', creditCard: card() });
    assert.equal(invalid.success, false);
    assert.deepEqual(
      invalid.errors.deepErrors().map((e) => [e.code, e.attribute]),
      [['81503', 'amount']],
    );
    const badNumber = await gateway.transaction.sale({ amount: '10.00', creditCard: card('4111111111111112') });
    assert.equal(badNumber.errors.deepErrors()[0]!.code, '81715');
  });

  test('3-D Secure: a verified nonce with threeDSecure.required is accepted and carries its liability shift', async () => {
    const result = await gateway.transaction.sale({
      amount: '10.00',
      paymentMethodNonce: 'fake-three-d-secure-visa-full-authentication-nonce',
      options: { threeDSecure: { required: true }, submitForSettlement: true },
    });
    assert.equal(result.success, true);
    assert.equal(result.transaction.threeDSecureInfo?.liabilityShifted, true);
    assert.equal(result.transaction.threeDSecureInfo?.status, 'authenticate_successful');
  });

  test('search by order id and find: the SDK pages through advanced_search_ids and advanced_search; an unknown id is NotFoundError', async () => {
    const orderId = `sdk-search-${Date.now()}`;
    const sale = await gateway.transaction.sale({ amount: '3.00', paymentMethodNonce: 'fake-valid-nonce', orderId });
    const found: SdkTransaction[] = [];
    for await (const transaction of gateway.transaction.search((search) => search.orderId().is(orderId))) found.push(transaction as unknown as SdkTransaction);
    assert.deepEqual(
      found.map((t) => t.id),
      [sale.transaction.id],
    );
    await assert.rejects(gateway.transaction.find('nosuchid'), (error: unknown) => (error as { type?: string }).type === 'notFoundError');
  });

  test("the SDK's requests conform to the emulator's contract, and the contract allows nothing the SDK's own signature does not", () => {
    assert.deepEqual(emulator.violations, []);
    const signature = gateway.transaction._createSignature();
    const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const paths: string[] = [];
    const walk = (schema: Record<string, unknown>, prefix: string) => {
      const resolved = typeof schema.$ref === 'string' ? (BRAINTREE_CONTRACT.definitions[String(schema.$ref).split('/').pop()!] as Record<string, unknown>) : schema;
      const properties = resolved.properties as Record<string, Record<string, unknown>> | undefined;
      if (!properties || resolved.additionalProperties !== false) {
        paths.push(prefix);
        return;
      }
      for (const [key, child] of Object.entries(properties)) walk(child, prefix ? `${prefix}[${camel(key)}]` : camel(key));
    };
    walk(BRAINTREE_CONTRACT.definitions.transactionCreate as Record<string, unknown>, '');
    const allowed = new Set([...signature.valid, 'type']);
    const outside = paths.filter((path) => !allowed.has(path) && !signature.ignore.some((prefix) => path.startsWith(prefix)));
    assert.deepEqual(outside, [], 'contract fields the SDK would refuse to send');
    assert.ok(paths.length > 40);
  });
});

describe('webhooks: the SDK and our verifier agree both ways', () => {
  test("the SDK's sampleNotification is accepted and parsed by our verifier; a tampered payload is refused", async () => {
    const kinds = braintree.WebhookNotification.Kind;
    const settled = gateway.webhookTesting.sampleNotification(kinds.TransactionSettled!, 'sdktxn01');
    const request = { headers: {}, rawBody: JSON.stringify(settled), body: settled };
    const parsed = await connector.parseWebhook(braintreeAccount(), request);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind === 'PAYMENT') {
      assert.equal(parsed.gatewayTxnId, 'sdktxn01');
      assert.equal(parsed.outcome.kind, 'CHARGED');
      assert.match(parsed.eventId!, /^transaction_settled:sdktxn01:/);
    }
    const declined = gateway.webhookTesting.sampleNotification(kinds.TransactionSettlementDeclined!, 'sdktxn02');
    const failed = await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(declined), body: declined });
    assert.equal(failed.kind === 'PAYMENT' && failed.outcome.kind, 'FAILED');
    const disbursed = gateway.webhookTesting.sampleNotification(kinds.TransactionDisbursed!, 'sdktxn03');
    assert.equal((await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(disbursed), body: disbursed })).kind, 'PAYMENT');
    const check = gateway.webhookTesting.sampleNotification(kinds.Check!, '');
    assert.equal((await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(check), body: check })).kind, 'IGNORED');

    // Tampered: the transaction id changed inside the payload, the signature kept.
    const xmlText = Buffer.from(settled.bt_payload, 'base64').toString('utf8');
    const tampered = { ...settled, bt_payload: `${Buffer.from(xmlText.replace('sdktxn01', 'sdktxn99')).toString('base64')}\n` };
    await assert.rejects(
      connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(tampered), body: tampered }),
      (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE',
    );
    // And the SDK agrees it is tampered.
    await assert.rejects(gateway.webhookNotification.parse(tampered.bt_signature, tampered.bt_payload), (error: unknown) => (error as { type?: string }).type === 'invalidSignatureError');
  });

  test("the emulator's notifications pass the SDK's own parse, with the kind and transaction it names", async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `oracle-wh-${Date.now()}` }));
    assert.equal(sale.kind, 'CHARGED');
    emulator.settle(sale.raw.gatewayTxnId!);
    const record = emulator.events.find((e) => e.kind === 'transaction_settled' && e.subjectId === sale.raw.gatewayTxnId)!;
    const { fields } = emulator.signRecord(record);
    const notification = await gateway.webhookNotification.parse(fields.bt_signature, fields.bt_payload);
    assert.equal(notification.kind, 'transaction_settled');
    assert.equal(notification.transaction?.id, sale.raw.gatewayTxnId);
    assert.equal(notification.transaction?.status, 'settled');
    assert.equal(notification.transaction?.amount, '100.00');
    const check = emulator.signedNotification('check', null);
    assert.equal((await gateway.webhookNotification.parse(check.fields.bt_signature, check.fields.bt_payload)).kind, 'check');
    // A notification signed for another merchant's keys is refused by the SDK too.
    await assert.rejects(
      gateway.webhookNotification.parse(`someone|${fields.bt_signature.split('|')[1]}`, fields.bt_payload),
      (error: unknown) => (error as { type?: string }).type === 'invalidSignatureError',
    );
  });
});
