// Shared by the PayPal connector's emulator tests: the emulator and a connector on it, requests with
// fresh ids, the order a webhook event is about, and an event signed as PayPal sends it.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startPayPalEmulator, type PayPalEmulator, type PayPalWebhookEvent } from '../../../emulators/paypal/paypal-emulator.ts';
import type { AuthorizeRequest, ConnectorAccount } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createPayPalConnector } from './paypal-connector.ts';
import { PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, paypalAccount, paypalCardRequest, paypalWalletRequest } from './test-fixtures.ts';

export const orderIdOfEvent = (event: PayPalWebhookEvent): string | undefined =>
  (event.resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id ??
  (event.resource_type === 'checkout-order' ? String(event.resource.id) : undefined);

export function signedRequest(emulator: PayPalEmulator, event: PayPalWebhookEvent, webhookId: string) {
  const { headers, rawBody } = emulator.signedEvent(event, webhookId);
  return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
}

export interface PayPalWire {
  emulator: PayPalEmulator;
  transport: HttpTransport;
  connector: ReturnType<typeof createPayPalConnector>;
  account: ConnectorAccount;
  webhookId: string;
}

/**
 * The PayPal emulator and a connector on it for the calling describe: started in a before hook,
 * stopped in an after hook that first checks every request matched PayPal's contract. `wire()`
 * gives them once the hook has run; `card` and `wallet` make requests with fresh ids and keys;
 * `sentTo` lists the requests to one path.
 */
export function usePayPalWire() {
  let current: PayPalWire | undefined;
  let n = 0;
  before(async () => {
    const emulator = await startPayPalEmulator({ clients: { [PAYPAL_CLIENT_ID]: PAYPAL_CLIENT_SECRET } });
    const webhookId = emulator.registerWebhook(PAYPAL_CLIENT_ID, 'http://127.0.0.1:1/not-listening');
    const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    const connector = createPayPalConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { PAYPAL: emulator.url } });
    current = { emulator, transport, connector, account: paypalAccount(webhookId), webhookId };
  });
  after(async () => {
    if (!current) return;
    assert.deepEqual(current.emulator.violations, [], "every request the connector sent matched PayPal's contract");
    await current.transport.close();
    await current.emulator.close();
  });
  const wire = (): PayPalWire => {
    if (!current) throw new Error('the PayPal emulator is not started yet');
    return current;
  };
  return {
    wire,
    card(overrides: Partial<AuthorizeRequest> = {}, number?: string): AuthorizeRequest {
      n += 1;
      return paypalCardRequest({ txnId: `m_test-wire${n}-1`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}-${Date.now()}`, ...overrides }, number);
    },
    wallet(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
      n += 1;
      return paypalWalletRequest({ txnId: `m_test-wallet${n}-1`, txnUuid: `uuid-wallet-${n}`, idempotencyKey: `idem-wallet-${n}-${Date.now()}`, ...overrides });
    },
    sentTo: (path: string) => wire().emulator.requests.filter((r) => r.path === path || r.path.startsWith(`${path}?`)),
  };
}
