// An order's webhook delivery log and the re-send of one of its events (docs/webhooks.md, "Delivery
// log and re-send"). A re-send is the operator replay the outbox always had: the same event (id and
// body) queued again, due at once, with a fresh retry schedule.
import { AppError } from '../errors.ts';
import type { WebhookDelivery, WebhookLogStore } from '../ports/webhook-log-store.ts';

export const WEBHOOK_LOG_LIMIT = 100;

export interface WebhookLogDeps {
  store: WebhookLogStore;
  /** Whether the merchant has this order (an unknown order is a 404, like GET /orders/{id}). */
  orderExists(merchantId: string, orderId: string): Promise<boolean>;
}

function orderNotFound(orderId: string): AppError {
  return new AppError('RESOURCE_NOT_FOUND', `Order ${orderId} not found`, { fields: [{ field_name: 'order_id', reason: 'no such order for this merchant' }] });
}

export function createWebhookLog(deps: WebhookLogDeps) {
  async function list(merchantId: string, orderId: string): Promise<WebhookDelivery[]> {
    if (!(await deps.orderExists(merchantId, orderId))) throw orderNotFound(orderId);
    return deps.store.listForOrder(merchantId, orderId, WEBHOOK_LOG_LIMIT);
  }

  async function resend(merchantId: string, orderId: string, eventId: string): Promise<WebhookDelivery> {
    if (!(await deps.orderExists(merchantId, orderId))) throw orderNotFound(orderId);
    const event = await deps.store.get(merchantId, eventId);
    if (!event || event.orderId !== orderId) {
      throw new AppError('RESOURCE_NOT_FOUND', `Webhook ${eventId} of order ${orderId} not found`, { fields: [{ field_name: 'event_id', reason: 'no such webhook for this order' }] });
    }
    const queued = await deps.store.redeliver(merchantId, eventId);
    if (!queued) throw new AppError('RESOURCE_NOT_FOUND', `Webhook ${eventId} not found`, { fields: [{ field_name: 'event_id', reason: 'no such webhook for this order' }] });
    return queued;
  }

  return { list, resend };
}

export type WebhookLog = ReturnType<typeof createWebhookLog>;

function iso(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** The wire shape of one delivery (merchant API and dashboard alike). */
export function webhookDeliveryView(d: WebhookDelivery): Record<string, unknown> {
  return {
    id: d.id,
    event_name: d.eventName,
    order_id: d.orderId,
    target_url: d.targetUrl,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    date_created: iso(d.createdAt),
    next_attempt_at: d.status === 'PENDING' ? iso(d.nextAttemptAt) : null,
    delivered_at: iso(d.deliveredAt),
  };
}
