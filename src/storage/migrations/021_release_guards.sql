-- The guard of a staggered release (issue 17, item 2): its settings, where it stands, and the
-- evidence of its last look. One guard runs per merchant at a time (at most one staggered logic);
-- finished guards stay as the release's record.
CREATE TABLE release_guards (
  id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  logic_id text NOT NULL REFERENCES priority_logics(id),
  -- The logic that was fully active when the stagger started: the comparison arm.
  baseline_logic_id text NOT NULL REFERENCES priority_logics(id),
  stagger_percentage numeric(5,2) NOT NULL,
  metric text NOT NULL CHECK (metric IN ('SUCCESS_RATE', 'COST', 'LATENCY')),
  tolerance double precision NOT NULL,
  detectable_effect double precision NOT NULL,
  min_sample integer NOT NULL,
  planned_sample integer NOT NULL,
  alpha double precision NOT NULL,
  auto_promote boolean NOT NULL,
  state text NOT NULL CHECK (state IN ('RUNNING', 'ROLLED_BACK', 'PASSED', 'PROMOTED', 'ENDED')),
  -- Why it stopped: ROLLED_BACK and PROMOTED by the guard, or the user's action (REVOKE, PROMOTE, ...).
  end_reason text,
  evidence jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_evaluated_at timestamptz,
  ended_at timestamptz,
  created_by text NOT NULL
);
CREATE UNIQUE INDEX release_guards_one_running ON release_guards (merchant_id) WHERE state = 'RUNNING';
CREATE INDEX release_guards_logic ON release_guards (merchant_id, logic_id, started_at DESC);
