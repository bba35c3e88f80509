// Shared by the Razorpay connector's emulator tests: the emulator's keys, the reasons Razorpay documents,
// its webhook events and the shopper at its bank page.
import assert from 'node:assert/strict';
import type { RazorpayEmulator, RazorpayWebhookEvent } from '../../../emulators/razorpay/razorpay-emulator.ts';
import type { IncomingHttpRequest } from '../../core/ports/connector.ts';
import { RAZORPAY_STATUS_TABLE } from './status-table.ts';
import { RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET } from './test-fixtures.ts';

export const KEYS = { [RAZORPAY_KEY_ID]: RAZORPAY_KEY_SECRET };
/** Raw codes of ours (refusals before sending, transport) and Razorpay's three error codes: not reasons. */
export const OURS = new Set(['authentication_error', 'raw_card_data_not_enabled', 'unsupported_bank', 'unsupported_wallet', 'unsupported_payment_method', 'currency_not_supported', 'order_not_created', 'payment_not_found', 'not_capturable', 'CONNECTION_REFUSED', 'BAD_REQUEST_ERROR', 'GATEWAY_ERROR', 'SERVER_ERROR']);
export const DOCUMENTED_REASONS = Object.keys(RAZORPAY_STATUS_TABLE).filter((code) => !OURS.has(code));

export const paymentOf = (event: RazorpayWebhookEvent) => ((event.body.payload.payment as { entity?: { id?: string } } | undefined)?.entity?.id);

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
