-- Manual capture (issue 11): how much of an AUTHORIZED order was captured. NULL means the whole
-- amount (every automatically captured order); a partial capture sets it below the amount, and
-- refunds are then bounded by it instead of the order amount.
ALTER TABLE orders ADD COLUMN amount_captured bigint CHECK (amount_captured IS NULL OR (amount_captured > 0 AND amount_captured <= amount));
