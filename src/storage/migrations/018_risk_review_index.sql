-- Open reviews (held for review, or being expired) in a partial index of their own: the expiry
-- worker of every instance looks for them every interval, and the review queue lists them. Without
-- it both read every attempt of the txns table; with it, only the few open reviews.
CREATE INDEX IF NOT EXISTS txns_open_reviews ON txns (merchant_id, created_at)
  WHERE risk IS NOT NULL AND (risk -> 'review' ->> 'state') IN ('PENDING', 'EXPIRING');
