-- A platform operator can suspend a tenant: its API keys then fail with 403 tenant_suspended.
ALTER TABLE "tenants" ADD COLUMN "suspended_at" TIMESTAMPTZ(3);
ALTER TABLE "tenants" ADD COLUMN "suspended_reason" TEXT;

-- The operator's audit and security logs read every tenant's events newest first.
CREATE INDEX "audit_events_created_at_idx" ON "audit_events"("created_at");
