-- Redemption numbers come from a counter that never goes down (uses_consumed goes down
-- when a failed call is released), so every redemption can be released once.
ALTER TABLE "l402_tokens" ADD COLUMN "redemption_count" INTEGER NOT NULL DEFAULT 0;
UPDATE "l402_tokens" t SET "redemption_count" = t."uses_consumed" +
  (SELECT count(*) FROM "failed_calls" f WHERE f."payment_hash" = t."payment_hash");

-- The fee rate is fixed on the invoice when it is issued: changing PLATFORM_FEE_BPS never
-- re-prices an invoice already out. Existing invoices were issued at the default (30).
ALTER TABLE "invoices" ADD COLUMN "fee_bps" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "invoices" ALTER COLUMN "fee_bps" DROP DEFAULT;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_fee_bps_range" CHECK ("fee_bps" BETWEEN 0 AND 10000);
