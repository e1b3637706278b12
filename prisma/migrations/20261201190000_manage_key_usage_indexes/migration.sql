-- CreateIndex
CREATE INDEX "invoices_api_key_id_settled_at_idx" ON "invoices"("api_key_id", "settled_at");

-- CreateIndex
CREATE INDEX "invoices_api_key_id_created_at_idx" ON "invoices"("api_key_id", "created_at");

-- CreateIndex
CREATE INDEX "api_keys_rotated_from_id_idx" ON "api_keys"("rotated_from_id");
