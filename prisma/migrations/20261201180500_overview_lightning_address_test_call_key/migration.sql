-- The owner's Lightning address (LUD-16), where payouts go; saved once it resolved.
ALTER TABLE "tenants" ADD COLUMN "lightning_address" TEXT;
ALTER TABLE "tenants" ADD COLUMN "lightning_address_verified_at" TIMESTAMPTZ(3);

-- The key the dashboard's test-call button uses: made by Tollbooth, not by the owner.
ALTER TABLE "api_keys" ADD COLUMN "internal" BOOLEAN NOT NULL DEFAULT false;
