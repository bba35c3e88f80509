-- Risk engine (issue 14): per-merchant configuration, rules, block/allow lists, an audit trail of
-- changes, velocity counters and card-testing blocks (used when REDIS_URL is not set), and the
-- assessment of each attempt that went through the checks.
CREATE TABLE risk_configs (
  merchant_id text PRIMARY KEY,
  config jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_rules (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  name text NOT NULL,
  condition jsonb NOT NULL,
  action text NOT NULL CHECK (action IN ('allow', 'review', 'block')),
  score integer NOT NULL CHECK (score >= 0 AND score <= 100),
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, name)
);
CREATE INDEX risk_rules_merchant ON risk_rules (merchant_id, position);

CREATE TABLE risk_list_entries (
  merchant_id text NOT NULL,
  list text NOT NULL CHECK (list IN ('block', 'allow')),
  kind text NOT NULL,
  value text NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, list, kind, value)
);

CREATE TABLE risk_audit (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  entity text NOT NULL,
  detail jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_audit_merchant ON risk_audit (merchant_id, at DESC);

-- Velocity events: one row per counted event; the key starts with the merchant id.
CREATE TABLE risk_velocity_events (
  key text NOT NULL,
  event_id text NOT NULL,
  at_ms bigint NOT NULL,
  weight bigint NOT NULL,
  PRIMARY KEY (key, event_id)
);
CREATE INDEX risk_velocity_events_window ON risk_velocity_events (key, at_ms);

CREATE TABLE risk_blocks (
  key text PRIMARY KEY,
  until_ms bigint NOT NULL
);

-- Bumped by every change of a merchant's setup, in the change's transaction: instances compare it
-- to the version they compiled instead of reloading lists that may hold a million entries.
CREATE TABLE risk_setup_versions (
  merchant_id text PRIMARY KEY,
  version bigint NOT NULL
);

ALTER TABLE txns ADD COLUMN risk jsonb;
