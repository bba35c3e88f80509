-- Payment core: merchants, keys, gateway accounts, customers, orders, transactions, refunds,
-- the card vault and the webhook outbox. Money columns are bigint minor units.

CREATE TABLE merchants (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Secrets (HMAC keys, webhook password) are encrypted with the master key: "v1:<iv>:<tag>:<data>".
  response_key_enc text NOT NULL,
  webhook_url text,
  webhook_username text,
  webhook_password_enc text,
  webhook_hmac_key_enc text NOT NULL,
  webhook_custom_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  -- SHA-256 of the key: the key itself is shown once, at creation, and never stored.
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  label text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id);

CREATE TABLE gateway_accounts (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  gateway text NOT NULL,
  gateway_id integer NOT NULL,
  gateway_reference_id text,
  credentials_enc text NOT NULL,
  payment_method_types text[] NOT NULL DEFAULT '{}',
  payment_methods text[] NOT NULL DEFAULT '{}',
  card_brands text[] NOT NULL DEFAULT '{}',
  currencies text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  priority integer NOT NULL DEFAULT 100,
  fees jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX gateway_accounts_unique ON gateway_accounts (merchant_id, gateway, (coalesce(gateway_reference_id, '')));

CREATE TABLE customers (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  object_reference_id text NOT NULL,
  mobile_number text NOT NULL,
  mobile_country_code text,
  email_address text,
  first_name text,
  last_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_ref ON customers (merchant_id, object_reference_id);

CREATE TABLE orders (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  order_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  status text NOT NULL,
  customer_id text,
  customer_email text,
  customer_phone text,
  description text,
  product_id text,
  return_url text,
  gateway_id integer,
  billing_address jsonb NOT NULL DEFAULT '{}'::jsonb,
  shipping_address jsonb NOT NULL DEFAULT '{}'::jsonb,
  udf jsonb NOT NULL DEFAULT '{}'::jsonb,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
  txn_count integer NOT NULL DEFAULT 0,
  -- The transaction currently talking to a gateway: no second one may start meanwhile.
  lock_txn_id text,
  lock_expires_at timestamptz,
  charged_txn_id text,
  last_txn_id text,
  client_auth_token_hash text,
  client_auth_token_expiry timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (amount_refunded <= amount)
);
CREATE UNIQUE INDEX orders_merchant_order ON orders (merchant_id, order_id);
CREATE INDEX orders_merchant_created ON orders (merchant_id, created_at DESC);

CREATE TABLE txns (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  order_pk text NOT NULL REFERENCES orders(id),
  txn_id text NOT NULL,
  attempt integer NOT NULL,
  status text NOT NULL,
  amount bigint NOT NULL,
  currency text NOT NULL,
  payment_method_type text NOT NULL,
  payment_method text NOT NULL,
  auth_type text,
  txn_type text NOT NULL DEFAULT 'AUTH_AND_SETTLE',
  gateway text,
  gateway_id integer,
  gateway_account_id text,
  gateway_reference_id text,
  gateway_txn_id text,
  card jsonb,
  upi jsonb,
  wallet text,
  bank text,
  error_code text,
  error_message text,
  error_category text,
  gateway_code text,
  gateway_message text,
  gateway_response jsonb,
  authentication jsonb,
  routing_decision jsonb,
  redirect boolean NOT NULL DEFAULT false,
  return_url text,
  latency_ms integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX txns_merchant_txn_id ON txns (merchant_id, txn_id);
CREATE UNIQUE INDEX txns_order_attempt ON txns (order_pk, attempt);
CREATE INDEX txns_gateway_txn ON txns (gateway, gateway_txn_id);
CREATE INDEX txns_unsettled ON txns (status, updated_at) WHERE status IN ('STARTED', 'PENDING_VBV', 'VBV_SUCCESSFUL', 'AUTHORIZING');
CREATE INDEX txns_merchant_created ON txns (merchant_id, created_at DESC);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  order_pk text NOT NULL REFERENCES orders(id),
  txn_pk text NOT NULL REFERENCES txns(id),
  unique_request_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL,
  ref text,
  arn text,
  error_code text,
  error_message text,
  gateway_response jsonb,
  sent_to_gateway boolean NOT NULL DEFAULT false,
  initiated_by text NOT NULL DEFAULT 'API',
  refund_type text NOT NULL DEFAULT 'STANDARD',
  refund_source text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX refunds_request ON refunds (merchant_id, unique_request_id);
CREATE INDEX refunds_order ON refunds (order_pk);

CREATE TABLE card_vault (
  token text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  customer_id text,
  fingerprint text NOT NULL,
  -- AES-256-GCM ciphertext of {number, exp_month, exp_year, name}, under the key named key_id.
  ciphertext text NOT NULL,
  key_id text NOT NULL,
  card_isin text NOT NULL,
  last_four_digits text NOT NULL,
  card_brand text,
  card_type text,
  card_issuer text,
  expiry_month text NOT NULL,
  expiry_year text NOT NULL,
  name_on_card text,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX card_vault_customer ON card_vault (merchant_id, customer_id);
CREATE UNIQUE INDEX card_vault_fingerprint ON card_vault (merchant_id, (coalesce(customer_id, '')), fingerprint) WHERE deleted_at IS NULL;

CREATE TABLE outbox_events (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  event_name text NOT NULL,
  payload jsonb NOT NULL,
  target_url text NOT NULL,
  status text NOT NULL DEFAULT 'PENDING',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX outbox_due ON outbox_events (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbox_merchant ON outbox_events (merchant_id, created_at DESC);
