// Shared by the Razorpay connector's emulator tests: the emulator and a connector on it, fresh ids,
// the emulator's keys, the reasons Razorpay documents,
// its webhook events and the shopper at its bank page.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startRazorpayEmulator, type RazorpayEmulator, type RazorpayWebhookEvent } from '../../../emulators/razorpay/razorpay-emulator.ts';
import type { AuthorizeRequest, IncomingHttpRequest } from '../../core/ports/connector.ts';
import { createHttpTransport, type HttpTransport } from '../kit/transport.ts';
import { createRazorpayConnector } from './razorpay-connector.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET, razorpayCardRequest } from './test-fixtures.ts';

export const KEYS = { [RAZORPAY_KEY_ID]: RAZORPAY_KEY_SECRET };
/** Raw codes of ours (refusals before sending, transport) and Razorpay's three error codes: not reasons. */
export const OURS = new Set([
  'authentication_error',
  'raw_card_data_not_enabled',
  'unsupported_bank',
  'unsupported_wallet',
  'unsupported_payment_method',
  'currency_not_supported',
  'order_not_created',
  'payment_not_found',
  'not_capturable',
  'CONNECTION_REFUSED',
  'BAD_REQUEST_ERROR',
  'GATEWAY_ERROR',
  'SERVER_ERROR',
]);
export const DOCUMENTED_REASONS = Object.keys(RAZORPAY_STATUS_TABLE).filter((code) => !OURS.has(code));

export const paymentOf = (event: RazorpayWebhookEvent) => (event.body.payload.payment as { entity?: { id?: string } } | undefined)?.entity?.id;

export async function eventWhere(emulator: RazorpayEmulator, match: (event: RazorpayWebhookEvent) => boolean): Promise<RazorpayWebhookEvent> {
  for (let i = 0; i < 200; i++) {
    const found = emulator.events.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no such webhook event');
}

export function signed(emulator: RazorpayEmulator, event: RazorpayWebhookEvent): IncomingHttpRequest {
  const { headers, rawBody } = emulator.signedEvent(event, RAZORPAY_WEBHOOK_SECRET);
  return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
}

/** The shopper at the bank page: approves (or declines), and the page sends the browser back to the callback URL. */
export async function bankPage(url: string, decision: 'approve' | 'decline' = 'approve'): Promise<Record<string, string>> {
  const page = await fetch(url);
  const html = await page.text();
  const link = new RegExp(`id="${decision}" href="([^"]+)"`).exec(html)?.[1];
  assert.ok(link, `the bank page offers ${decision}`);
  const response = await fetch(link.replace(/&amp;/g, '&'), { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  assert.ok(location, 'the bank page sends the shopper back');
  return Object.fromEntries(new URL(location).searchParams);
}

export interface RazorpayWire {
  emulator: RazorpayEmulator;
  transport: HttpTransport;
  connector: ReturnType<typeof createRazorpayConnector>;
}

/**
 * The Razorpay emulator and a connector on it for the calling describe (started in a before hook,
 * closed in an after hook); `wire()` gives them once started; `ids` makes fresh txn ids and keys,
 * `req` a card request with them.
 */
export function useRazorpayWire() {
  let current: RazorpayWire | undefined;
  let n = 0;
  before(async () => {
    const emulator = await startRazorpayEmulator({ keys: KEYS, s2sCardKeys: [RAZORPAY_KEY_ID] });
    const transport = createHttpTransport({ deadlineMs: 2_000, backoffMs: 5 });
    current = { emulator, transport, connector: createRazorpayConnector({ transport, publicBaseUrl: 'http://127.0.0.1:1', baseUrls: { RAZORPAY: emulator.url } }) };
  });
  after(async () => {
    await current?.transport.close();
    await current?.emulator.close();
  });
  const ids = (): Partial<AuthorizeRequest> => {
    n += 1;
    return { txnId: `wire-${n}-${Date.now().toString(36)}`, txnUuid: `uuid-wire-${n}`, idempotencyKey: `idem-wire-${n}-${Date.now()}` };
  };
  return {
    wire(): RazorpayWire {
      if (!current) throw new Error('the Razorpay emulator is not started yet');
      return current;
    },
    ids,
    req: (overrides: Partial<AuthorizeRequest> = {}, number?: string) => razorpayCardRequest({ ...ids(), ...overrides }, number),
  };
}
