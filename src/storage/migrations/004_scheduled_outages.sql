-- Merchant-marked gateway maintenance windows: routing treats the gateway as DOWN meanwhile.
CREATE TABLE scheduled_outages (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  gateway text NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  payment_method_type text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduled_outages_merchant_end ON scheduled_outages (merchant_id, end_at);
