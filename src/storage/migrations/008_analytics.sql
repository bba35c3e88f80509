-- Dashboard analytics: attempts rolled up per merchant and UTC hour, and per whole UTC day of
-- those hours, kept by the analytics rollup worker (src/workers/analytics-rollup.ts) from the
-- transactions, with its watermark. Plus the indexes of the dashboard's reads.

-- One row per merchant, hour and combination of the dimensions the dashboard filters and breaks down by.
CREATE TABLE analytics_hourly (
  merchant_id text NOT NULL,
  hour timestamptz NOT NULL,
  -- '' when no gateway was found for the attempt
  gateway text NOT NULL,
  -- routing_decision.logic.id, or DEFAULT_ORDER when no Priority Logic decided
  logic_id text NOT NULL,
  payment_method_type text NOT NULL,
  -- '' for payments without a card
  card_brand text NOT NULL,
  status text NOT NULL,
  -- the unified error, '' when none
  error_code text NOT NULL,
  error_category text NOT NULL,
  currency text NOT NULL,
  -- attempt 1 of its order (false: a fallback or a retry)
  first_attempt boolean NOT NULL,
  attempts integer NOT NULL,
  -- sum of the attempts' amounts, minor units of currency
  amount bigint NOT NULL,
  -- attempts per latency bucket: lat_1 counts bucket 0 of src/core/analytics/latency-buckets.ts, lat_21
  -- the open-ended last one (columns, not an array: summing them is twice as fast at read time)
  lat_1 integer NOT NULL, lat_2 integer NOT NULL, lat_3 integer NOT NULL, lat_4 integer NOT NULL, lat_5 integer NOT NULL, lat_6 integer NOT NULL, lat_7 integer NOT NULL, lat_8 integer NOT NULL, lat_9 integer NOT NULL, lat_10 integer NOT NULL, lat_11 integer NOT NULL, lat_12 integer NOT NULL, lat_13 integer NOT NULL, lat_14 integer NOT NULL, lat_15 integer NOT NULL, lat_16 integer NOT NULL, lat_17 integer NOT NULL, lat_18 integer NOT NULL, lat_19 integer NOT NULL, lat_20 integer NOT NULL, lat_21 integer NOT NULL,
  UNIQUE (merchant_id, hour, gateway, logic_id, payment_method_type, card_brand, status, error_code, error_category, currency, first_attempt)
);

-- The same, summed over the 24 hours of each UTC day once the day is closed (long ranges read 24 times fewer rows).
CREATE TABLE analytics_daily (
  merchant_id text NOT NULL,
  day timestamptz NOT NULL,
  gateway text NOT NULL,
  logic_id text NOT NULL,
  payment_method_type text NOT NULL,
  card_brand text NOT NULL,
  status text NOT NULL,
  error_code text NOT NULL,
  error_category text NOT NULL,
  currency text NOT NULL,
  first_attempt boolean NOT NULL,
  attempts integer NOT NULL,
  amount bigint NOT NULL,
  lat_1 integer NOT NULL, lat_2 integer NOT NULL, lat_3 integer NOT NULL, lat_4 integer NOT NULL, lat_5 integer NOT NULL, lat_6 integer NOT NULL, lat_7 integer NOT NULL, lat_8 integer NOT NULL, lat_9 integer NOT NULL, lat_10 integer NOT NULL, lat_11 integer NOT NULL, lat_12 integer NOT NULL, lat_13 integer NOT NULL, lat_14 integer NOT NULL, lat_15 integer NOT NULL, lat_16 integer NOT NULL, lat_17 integer NOT NULL, lat_18 integer NOT NULL, lat_19 integer NOT NULL, lat_20 integer NOT NULL, lat_21 integer NOT NULL,
  UNIQUE (merchant_id, day, gateway, logic_id, payment_method_type, card_brand, status, error_code, error_category, currency, first_attempt)
);

-- watermark: updates up to it are rolled up. rolled_until: every hour before it is in analytics_hourly,
-- and every UTC day that ends by it is in analytics_daily.
CREATE TABLE analytics_rollup_state (
  id integer PRIMARY KEY CHECK (id = 1),
  watermark timestamptz,
  rolled_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO analytics_rollup_state (id) VALUES (1);

-- The rollup finds what changed since its watermark.
CREATE INDEX txns_updated_at ON txns (updated_at);

-- Dashboard order search: a prefix of the order id, customer id or email (LIKE 'abc%' can use a
-- btree only with pattern ops unless the database collation is C). The
-- order id's unique index is rebuilt with pattern ops rather than doubled: it serves equality
-- (idempotent create, ON CONFLICT, lookups) and prefixes alike, and each order write keeps one
-- index fewer to maintain.
DROP INDEX orders_merchant_order;
CREATE UNIQUE INDEX orders_merchant_order ON orders (merchant_id, order_id text_pattern_ops);
CREATE INDEX orders_search_customer_id ON orders (merchant_id, customer_id text_pattern_ops);
CREATE INDEX orders_search_email ON orders (merchant_id, lower(customer_email) text_pattern_ops);
-- No index on orders.status: order updates change it, and an index on it would make every order
-- update a non-HOT one (all of the order's indexes written again). The status filter finds rare
-- in-flight statuses through txns_unsettled instead (src/storage/analytics-repository.ts).
