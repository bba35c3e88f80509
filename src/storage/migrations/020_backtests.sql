-- Backtests of a Priority Logic on the merchant's past payments (issue 17, item 1): one row per job,
-- so any instance answers a GET while the instance that started the job writes its progress.
CREATE TABLE priority_logic_backtests (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  logic_id text NOT NULL REFERENCES priority_logics(id),
  logic_version integer NOT NULL,
  window_from timestamptz NOT NULL,
  window_to timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
  processed integer NOT NULL DEFAULT 0,
  -- The window's payments, counted when the job starts (0 until then): the end of the progress bar.
  total integer NOT NULL DEFAULT 0,
  report jsonb,
  error text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK (window_from < window_to)
);
CREATE INDEX priority_logic_backtests_logic ON priority_logic_backtests (merchant_id, logic_id, created_at DESC);
