-- The stalled-delivery sweep (lib/webhooks/fan-out.ts) reads the deliveries not finished yet.

-- CreateIndex
CREATE INDEX "webhook_deliveries_state_next_attempt_at_idx" ON "webhook_deliveries"("state", "next_attempt_at");
