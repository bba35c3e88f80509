-- The simulated gateways' ledger, one row per simulated payment, per merchant: what the
-- simulated gateway charged, captured and refunded survives a restart (a refund after a restart
-- finds its charge). `entry` is the simulator's own record (refunds included); the columns are
-- what lookups need: by gateway id, by our txn id (sync after a timeout), by idempotency key.
CREATE TABLE simulator_ledger (
  gateway_txn_id text PRIMARY KEY,
  merchant_id text NOT NULL,
  gateway text NOT NULL,
  account_id text NOT NULL,
  reference text NOT NULL,
  idempotency_key text NOT NULL,
  status text NOT NULL,
  entry jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX simulator_ledger_idempotency ON simulator_ledger (merchant_id, gateway, account_id, idempotency_key);
CREATE INDEX simulator_ledger_reference ON simulator_ledger (merchant_id, gateway, reference);
