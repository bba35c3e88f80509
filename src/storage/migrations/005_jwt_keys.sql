-- Keys for the official clients' encrypted (JWE + JWS) requests: the merchant's public key, and
-- our key pair for that merchant (private key encrypted with the master key ring).
CREATE TABLE merchant_jwt_keys (
  key_id text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  merchant_public_key text NOT NULL,
  junction_public_key text NOT NULL,
  junction_private_key_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX merchant_jwt_keys_merchant ON merchant_jwt_keys (merchant_id);
