-- Risk rules may answer challenge_3ds (step up: the card payment goes through 3-D Secure).
ALTER TABLE risk_rules DROP CONSTRAINT IF EXISTS risk_rules_action_check;
ALTER TABLE risk_rules ADD CONSTRAINT risk_rules_action_check CHECK (action IN ('allow', 'challenge_3ds', 'review', 'block'));
