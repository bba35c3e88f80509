-- Priority Logic: dashboard users and their roles, routing logics (immutable definitions,
-- edited by copying), the per-merchant routing configuration (active, staggered, fallback),
-- and the audit trail of every change.

CREATE TABLE users (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'APPROVER', 'VIEWER')),
  -- SHA-256 of the bearer token: the token is shown once, at creation, and never stored.
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX users_merchant_email ON users (merchant_id, lower(email));

CREATE TABLE priority_logics (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  name text NOT NULL,
  description text,
  kind text NOT NULL CHECK (kind IN ('DEFAULT', 'VOLUME', 'RULES', 'CODE')),
  version integer NOT NULL DEFAULT 1,
  -- The routing engine's LogicDefinition, as validated at creation. Never changed afterwards.
  definition jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('INACTIVE', 'ACTIVE', 'STAGGERED', 'PENDING_APPROVAL')),
  approved_by text,
  approved_at timestamptz,
  created_by text NOT NULL,
  copied_from text,
  -- Optimistic concurrency: every change bumps it; a caller holding an older value gets a sync conflict.
  row_version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE UNIQUE INDEX priority_logics_name ON priority_logics (merchant_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX priority_logics_merchant ON priority_logics (merchant_id, created_at DESC) WHERE deleted_at IS NULL;

CREATE TABLE merchant_routing (
  merchant_id text PRIMARY KEY REFERENCES merchants(id),
  active_logic_id text REFERENCES priority_logics(id),
  fallback_logic_id text REFERENCES priority_logics(id),
  staggered_logic_id text REFERENCES priority_logics(id),
  stagger_percentage numeric(5, 2),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE priority_logic_audit (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  logic_id text,
  actor_id text NOT NULL,
  actor_role text NOT NULL,
  action text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX priority_logic_audit_merchant ON priority_logic_audit (merchant_id, created_at DESC);
CREATE INDEX priority_logic_audit_logic ON priority_logic_audit (logic_id, created_at DESC);

-- Dashboard metrics read the window's decided transactions per logic.
CREATE INDEX txns_routing_window ON txns (merchant_id, created_at) INCLUDE (status, amount, currency, latency_ms) WHERE routing_decision IS NOT NULL;
