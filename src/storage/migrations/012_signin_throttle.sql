-- Sign-in throttle counters (issue 10): one row per key, a digest of an email, a client address or
-- the pair (never either in clear). Times are epoch milliseconds. Rows are read FOR UPDATE in the
-- transaction that counts an attempt, so concurrent attempts, on any instance, see each other.
CREATE TABLE signin_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  last_failure_at bigint NOT NULL DEFAULT 0,
  next_allowed_at bigint NOT NULL DEFAULT 0,
  trusted_until bigint NOT NULL DEFAULT 0
);
CREATE INDEX signin_throttle_last_failure ON signin_throttle (last_failure_at);
