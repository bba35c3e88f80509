// The storage port of the webhook delivery log: an order's outgoing webhooks as the outbox holds
// them, and the operator's (or merchant's) re-send. Every call is scoped to one merchant.

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookDelivery {
  /** The event id (evt_...), the same on every attempt and every re-send. */
  id: string;
  eventName: string;
  /** The merchant's order_id the event is about (content.order.order_id). */
  orderId: string | null;
  targetUrl: string;
  status: WebhookDeliveryStatus;
  /** HTTP attempts since the event was queued (or last re-sent). */
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookLogStore {
  /** The order's events, newest first (at most `limit`). */
  listForOrder(merchantId: string, orderId: string, limit: number): Promise<WebhookDelivery[]>;
  get(merchantId: string, eventId: string): Promise<WebhookDelivery | null>;
  /** Queues the event again, due now, with a fresh retry schedule (same id and body). */
  redeliver(merchantId: string, eventId: string): Promise<WebhookDelivery | null>;
}
