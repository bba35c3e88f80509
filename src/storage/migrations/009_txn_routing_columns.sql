-- Which logic decided a transaction, and whether it produced no gateway, as plain columns kept by
-- PostgreSQL from the routing decision: the dashboard's per-logic reads (Priority Logic metrics,
-- analytics) group by them without opening each transaction's JSON decision record.
ALTER TABLE txns ADD COLUMN routing_logic_id text
  GENERATED ALWAYS AS (routing_decision -> 'logic' ->> 'id') STORED;
ALTER TABLE txns ADD COLUMN routing_undecided boolean
  GENERATED ALWAYS AS (
    routing_decision IS NOT NULL AND coalesce(
      CASE WHEN jsonb_typeof(routing_decision -> 'finalGateways') = 'array' THEN jsonb_array_length(routing_decision -> 'finalGateways')
           WHEN jsonb_typeof(routing_decision -> 'final_gateways') = 'array' THEN jsonb_array_length(routing_decision -> 'final_gateways')
      END, 0) = 0
  ) STORED;

-- Replaces 002's window index: the same rows, and the columns the metrics read, for index-only scans.
DROP INDEX IF EXISTS txns_routing_window;
CREATE INDEX txns_routing_window ON txns (merchant_id, created_at)
  INCLUDE (routing_logic_id, routing_undecided, status, amount, currency, latency_ms) WHERE routing_decision IS NOT NULL;
