-- Why an invoice is expired: 'backend' (the node said so: it can never be paid) or
-- 'unknown_to_node' (the node no longer knows it after its expiry: LNbits deletes expired
-- invoices, but so does a wallet key or node that was swapped). Only the first kind of a
-- real backend's invoice is ever purged; the simulated node's own rows prove the rest.
ALTER TABLE "invoices" ADD COLUMN "expired_reason" TEXT;
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_expired_reason_known" CHECK ("expired_reason" IN ('backend', 'unknown_to_node'));

-- Before this release the watcher expired real backends' invoices by our own clock. Look
-- at them again under the new rules (expired only on the node's word), so a late payment
-- is still credited and nothing paid is purged.
UPDATE "invoices" SET "state" = 'pending', "next_lookup_at" = NULL
WHERE "state" = 'expired' AND "backend" <> 'simulated' AND "settled_at" IS NULL;
