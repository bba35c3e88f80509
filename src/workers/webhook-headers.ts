// The headers of one webhook delivery: the merchant's own, then the ones that prove who we are.
import type { OutboxEvent } from '../storage/outbox-repository.ts';
import { signWebhookBody } from '../core/signature.ts';
import type { MerchantWebhookConfig } from './webhook-delivery.ts';

export const WEBHOOK_USER_AGENT = 'Junction-Webhooks/1.0';

/** Headers for one delivery; exported so tests and docs agree on them. */
export function buildWebhookHeaders(event: Pick<OutboxEvent, 'id' | 'eventName' | 'attempts'>, body: string, config: MerchantWebhookConfig, nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  // Merchant headers first, so they cannot replace the ones that prove who we are.
  for (const [name, value] of Object.entries(config.customHeaders ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = WEBHOOK_USER_AGENT;
  if (config.username) {
    headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  headers['x-junction-event-id'] = event.id;
  headers['x-junction-event-name'] = event.eventName;
  headers['x-junction-delivery-attempt'] = String(event.attempts + 1);
  headers['x-junction-signature'] = signWebhookBody(body, config.hmacKey, Math.floor(nowMs / 1000));
  return headers;
}
