// Braintree webhooks through the connector: signed with every key of the gateway, delivered over
// HTTP by the emulator, read wherever the HTTP layer put the fields, tampering refused, each kind mapped.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BRAINTREE_EMULATOR_MERCHANT, startBraintreeEmulator, type BraintreeEmulator } from '../../../emulators/braintree/braintree-emulator.ts';
import { ConnectorError } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createBraintreeConnector } from './braintree-connector.ts';
import { BRAINTREE_MERCHANT_ID, BRAINTREE_PRIVATE_KEY, BRAINTREE_PUBLIC_KEY, braintreeAccount, braintreeCardRequest } from './test-fixtures.ts';
import { braintreeDigest, decodeNotification, parseBraintreeNotification, verifyBraintreeWebhook } from './webhooks.ts';
import { formRequest } from './webhook-test-helpers.ts';

describe('braintree webhooks', () => {
  let emulator: BraintreeEmulator;
  let transport: HttpTransport;
  let connector: ReturnType<typeof createBraintreeConnector>;
  const second = { publicKey: 'junctionpublickey2', privateKey: 'junctionprivatekey0000000000000002' };
  before(async () => {
    emulator = await startBraintreeEmulator({ merchants: [{ ...BRAINTREE_EMULATOR_MERCHANT, keys: [...BRAINTREE_EMULATOR_MERCHANT.keys, second] }] });
    transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    connector = createBraintreeConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { BRAINTREE: emulator.url } });
  });
  after(async () => {
    await transport.close();
    await emulator.close();
  });

  test('a settlement notification is signed with every key of the gateway; each key verifies its own pair; the event id repeats on redelivery', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh-${Date.now()}` }));
    emulator.settle(sale.raw.gatewayTxnId!);
    const record = emulator.events.find((e) => e.kind === 'transaction_settled' && e.subjectId === sale.raw.gatewayTxnId)!;
    const signed = formRequest(emulator.signRecord(record));
    assert.equal((signed.body as Record<string, string>).bt_signature.split('&').length, 2);
    const parsed = await connector.parseWebhook(braintreeAccount(), signed);
    assert.equal(parsed.kind, 'PAYMENT');
    if (parsed.kind !== 'PAYMENT') return;
    assert.equal(parsed.gatewayTxnId, sale.raw.gatewayTxnId);
    assert.equal(parsed.outcome.kind, 'CHARGED');
    const withSecond = await connector.parseWebhook(braintreeAccount({ public_key: second.publicKey, private_key: second.privateKey }), signed);
    assert.equal(withSecond.kind === 'PAYMENT' && withSecond.eventId, parsed.eventId);
    const redelivered = await connector.parseWebhook(braintreeAccount(), formRequest(emulator.signRecord(record)));
    assert.equal(redelivered.kind === 'PAYMENT' && redelivered.eventId, parsed.eventId);
  });

  test('a registered URL receives the signed form when a transaction settles, and it verifies', async () => {
    const received: Array<{ contentType: string; body: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      emulator.addWebhookEndpoint(BRAINTREE_MERCHANT_ID, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh-url-${Date.now()}` }));
      emulator.settle(sale.raw.gatewayTxnId!);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(received.length, 1);
      assert.equal(received[0]!.contentType, 'application/x-www-form-urlencoded');
      const parsed = await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: received[0]!.body, body: null });
      assert.equal(parsed.kind === 'PAYMENT' && parsed.gatewayTxnId, sale.raw.gatewayTxnId);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('the fields are read wherever the HTTP layer put them: the raw form, or the JSON echo of a parsed form', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh2-${Date.now()}` }));
    const signed = emulator.signedNotification('transaction_settled', sale.raw.gatewayTxnId!);
    const asJson = { headers: {}, rawBody: JSON.stringify(signed.fields), body: signed.fields };
    assert.equal((await connector.parseWebhook(braintreeAccount(), asJson)).kind, 'PAYMENT');
    assert.equal((await connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: signed.rawBody, body: null })).kind, 'PAYMENT');
  });

  test('tampering, a missing or foreign signature, or a payload that is not base64 are refused as SIGNATURE', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh3-${Date.now()}` }));
    const { fields } = emulator.signedNotification('transaction_settled', sale.raw.gatewayTxnId!);
    const xmlText = Buffer.from(fields.bt_payload, 'base64').toString('utf8');
    const tamperedPayload = Buffer.from(xmlText.replace('<amount>100.00</amount>', '<amount>1.00</amount>')).toString('base64');
    assert.notEqual(tamperedPayload, fields.bt_payload.replace(/\n/g, ''));
    const cases: Array<[string, Record<string, string>]> = [
      ['tampered payload', { ...fields, bt_payload: tamperedPayload }],
      ['no signature', { bt_payload: fields.bt_payload, bt_signature: '' }],
      [
        'foreign public key only',
        {
          ...fields,
          bt_signature: fields.bt_signature
            .split('&')
            .map((pair) => `someoneelse${pair.slice(pair.indexOf('|'))}`)
            .join('&'),
        },
      ],
      ['illegal characters', { ...fields, bt_payload: `${fields.bt_payload}<x>` }],
      ["our key, another payload's signature", { ...fields, bt_signature: `${BRAINTREE_PUBLIC_KEY}|${braintreeDigest(BRAINTREE_PRIVATE_KEY, 'another payload')}` }],
    ];
    for (const [label, body] of cases) {
      await assert.rejects(
        connector.parseWebhook(braintreeAccount(), { headers: {}, rawBody: JSON.stringify(body), body }),
        (error: unknown) => error instanceof ConnectorError && error.kind === 'SIGNATURE',
        label,
      );
    }
    // The SDK also accepts a signature of the payload with a trailing newline.
    const stripped = fields.bt_payload.replace(/\n$/, '');
    const withNewline = { bt_payload: stripped, bt_signature: `${BRAINTREE_PUBLIC_KEY}|${braintreeDigest(BRAINTREE_PRIVATE_KEY, `${stripped}\n`)}` };
    assert.equal(verifyBraintreeWebhook({ headers: {}, rawBody: JSON.stringify(withNewline), body: withNewline }, BRAINTREE_PUBLIC_KEY, BRAINTREE_PRIVATE_KEY), stripped);
  });

  test('kinds: settlement declined is FAILED, disbursed is CHARGED, a settled credit is its refund, check and others are ignored', async () => {
    const sale = await connector.authorize(braintreeAccount(), braintreeCardRequest({ txnId: `wh4-${Date.now()}` }));
    const id = sale.raw.gatewayTxnId!;
    const parse = async (kind: string, subject: string | null) => connector.parseWebhook(braintreeAccount(), formRequest(emulator.signedNotification(kind, subject)));
    const declined = await parse('transaction_settlement_declined', id);
    assert.equal(declined.kind === 'PAYMENT' && declined.outcome.kind, 'FAILED');
    if (declined.kind === 'PAYMENT' && declined.outcome.kind === 'FAILED') assert.equal(declined.outcome.raw.code, 'settlement_declined');
    const disbursed = await parse('transaction_disbursed', id);
    assert.equal(disbursed.kind === 'PAYMENT' && disbursed.outcome.kind, 'CHARGED');
    emulator.settle(id);
    const refund = await connector.refund(braintreeAccount(), { refundId: `rf-wh-${id}`, txnId: 'x', gatewayTxnId: id, amount: 1_000, currency: 'USD', idempotencyKey: 'k' });
    assert.equal(refund.kind, 'SUCCESS');
    const creditId = refund.kind === 'SUCCESS' ? refund.gatewayRefundId! : '';
    const settledCredit = await parse('transaction_settled', creditId);
    assert.equal(settledCredit.kind, 'REFUND');
    if (settledCredit.kind === 'REFUND') {
      assert.equal(settledCredit.refundId, `rf-wh-${id}`);
      assert.equal(settledCredit.gatewayRefundId, creditId);
      assert.equal(settledCredit.outcome.kind, 'SUCCESS');
    }
    assert.equal((await parse('check', null)).kind, 'IGNORED');
  });

  test('a notification that is not XML or not a <notification> is a PROTOCOL error, after the signature passed', () => {
    const payload = Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><notification/>').toString('base64');
    assert.throws(
      () => decodeNotification(payload),
      (error: unknown) => error instanceof ConnectorError && error.kind === 'PROTOCOL',
    );
    assert.throws(
      () => decodeNotification(Buffer.from('<transaction><id>x</id></transaction>').toString('base64')),
      (error: unknown) => error instanceof ConnectorError && error.kind === 'PROTOCOL',
    );
    const ignored = parseBraintreeNotification(
      decodeNotification(
        Buffer.from(
          '<notification><kind>subscription_went_active</kind><timestamp type="datetime">2026-01-01T00:00:00Z</timestamp><subject><subscription><id>s1</id></subscription></subject></notification>',
        ).toString('base64'),
      ),
    );
    assert.equal(ignored.kind, 'IGNORED');
  });
});
