// Shared by the PayPal connector's emulator tests: the order a webhook event is about, and an event
// signed as PayPal sends it.
import type { PayPalEmulator, PayPalWebhookEvent } from '../../../emulators/paypal/paypal-emulator.ts';

export const orderIdOfEvent = (event: PayPalWebhookEvent): string | undefined =>
  ((event.resource.supplementary_data as { related_ids?: { order_id?: string } } | undefined)?.related_ids?.order_id) ?? (event.resource_type === 'checkout-order' ? String(event.resource.id) : undefined);

export function signedRequest(emulator: PayPalEmulator, event: PayPalWebhookEvent, webhookId: string) {
  const { headers, rawBody } = emulator.signedEvent(event, webhookId);
  return { headers, rawBody, body: JSON.parse(rawBody) as unknown };
}
