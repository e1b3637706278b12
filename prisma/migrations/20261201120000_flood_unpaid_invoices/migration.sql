-- Every unpaid request writes an l402_tokens row: keep only the indexes something reads.
-- token_id is part of the identifier whose sha256 is the primary key; nothing queries
-- tokens by tenant.
DROP INDEX "l402_tokens_token_id_key";

DROP INDEX "l402_tokens_tenant_id_idx";

-- The invoice purge (lib/invoices/purge.ts) never deletes an invoice a journal entry names.
CREATE INDEX "journal_entries_payment_hash_idx" ON "journal_entries"("payment_hash");
