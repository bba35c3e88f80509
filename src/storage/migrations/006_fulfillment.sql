-- Order fulfillment as the merchant reports it (POST /orders/{id}/fulfillment).
ALTER TABLE orders ADD COLUMN fulfillment jsonb;
