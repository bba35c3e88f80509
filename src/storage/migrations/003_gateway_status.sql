-- Operator overrides of connectors' gateway status tables (raw code -> meaning).
CREATE TABLE gateway_status_overrides (
  gateway text NOT NULL,
  raw_code text NOT NULL,
  message text NOT NULL,
  unified_code text,
  unified_message text,
  category text,
  failure_class text,
  retryable boolean NOT NULL,
  counts_against_gateway boolean NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway, raw_code)
);
