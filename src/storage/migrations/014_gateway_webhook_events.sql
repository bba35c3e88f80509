-- Incoming gateway webhooks already processed (issue 11): providers deliver an event more than
-- once (retries, replays), so each is processed once per account; later copies are acknowledged
-- and change nothing. Keyed by the provider's own event id.
CREATE TABLE gateway_webhook_events (
  account_id text NOT NULL,
  event_id text NOT NULL,
  merchant_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, event_id)
);
