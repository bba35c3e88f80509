-- The decision engine's account hierarchy (POST /admin/hierarchy/sync): a Hyperswitch profile's
-- ancestry (organization and merchant), kept on its engine merchant, shown by GET /merchant-account.
ALTER TABLE engine_merchants ADD COLUMN hierarchy jsonb;
