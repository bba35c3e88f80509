-- Juspay decision engine compatibility (issue 19): the engine's merchant accounts mapped onto
-- Junction merchants explicitly (a Hyperswitch deployment names its profile ids; several may map to
-- one merchant), and the engine's per-merchant configurations (rule configs, SR dimensions).
CREATE TABLE engine_merchants (
  engine_merchant_id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  gateway_success_rate_based_decider_input text,
  debit_routing_enabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_merchants_merchant ON engine_merchants (merchant_id);

-- The engine's routing rules (/routing/create): each is a Priority Logic of the merchant (visible and
-- editable in the dashboard); the engine's own algorithm JSON is kept to answer /routing/list.
CREATE TABLE engine_routing_rules (
  rule_id text PRIMARY KEY,
  engine_merchant_id text NOT NULL REFERENCES engine_merchants(engine_merchant_id) ON DELETE CASCADE,
  merchant_id text NOT NULL REFERENCES merchants(id),
  logic_id text NOT NULL REFERENCES priority_logics(id),
  name text NOT NULL,
  description text,
  algorithm_for text NOT NULL DEFAULT 'payment',
  algorithm jsonb NOT NULL,
  metadata jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_routing_rules_merchant ON engine_routing_rules (engine_merchant_id, created_at);

CREATE TABLE engine_configs (
  engine_merchant_id text NOT NULL REFERENCES engine_merchants(engine_merchant_id) ON DELETE CASCADE,
  -- successRate | elimination | debitRouting | srDimension
  kind text NOT NULL,
  merchant_id text NOT NULL REFERENCES merchants(id),
  config jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (engine_merchant_id, kind)
);
