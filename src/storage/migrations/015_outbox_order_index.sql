-- An order's webhook delivery log (GET /orders/{order_id}/webhooks): its events found by the
-- order id inside the envelope, without reading every event of the merchant.
CREATE INDEX outbox_merchant_order ON outbox_events (merchant_id, (payload -> 'content' -> 'order' ->> 'order_id'), created_at DESC);
