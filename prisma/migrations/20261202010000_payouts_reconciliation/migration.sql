-- Payouts (lib/payouts): the tenant's payout settings and address limits, the payouts
-- themselves, and the reconciliation history (lib/reconciliation).
CREATE TYPE "PayoutState" AS ENUM ('pending', 'sending', 'succeeded', 'failed');
CREATE TYPE "PayoutTrigger" AS ENUM ('threshold', 'sweep', 'manual', 'api');

ALTER TABLE "tenants" ADD COLUMN "lightning_address_min_sendable_msat" BIGINT;
ALTER TABLE "tenants" ADD COLUMN "lightning_address_max_sendable_msat" BIGINT;
ALTER TABLE "tenants" ADD COLUMN "lightning_address_changed_at" TIMESTAMPTZ(3);
ALTER TABLE "tenants" ADD COLUMN "payout_threshold_msat" BIGINT NOT NULL DEFAULT 1000000;
ALTER TABLE "tenants" ADD COLUMN "auto_payouts" BOOLEAN NOT NULL DEFAULT true;

-- The simulated LNURL-pay server's invoices belong to the payee, not to the node.
ALTER TABLE "simulated_invoices" ADD COLUMN "external" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "payouts" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "state" "PayoutState" NOT NULL DEFAULT 'pending',
    "trigger" "PayoutTrigger" NOT NULL,
    "amount_msat" BIGINT NOT NULL,
    "max_fee_msat" BIGINT NOT NULL,
    "fee_msat" BIGINT,
    "destination" TEXT NOT NULL,
    "bolt11" TEXT,
    "payment_hash" TEXT,
    "preimage" TEXT,
    "failure_code" TEXT,
    "failure_reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_expires_at" TIMESTAMPTZ(3),
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "reconciliation_runs" (
    "id" TEXT NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "trigger" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "ledger_lightning_msat" BIGINT NOT NULL,
    "backend_balance_msat" BIGINT,
    "backend_error" TEXT,
    "flow_msat" BIGINT NOT NULL,
    "backend_difference_msat" BIGINT,
    "flow_difference_msat" BIGINT NOT NULL,
    "matched" BOOLEAN NOT NULL,
    "alerted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "payouts_payment_hash_key" ON "payouts"("payment_hash");
CREATE INDEX "payouts_tenant_id_mode_created_at_id_idx" ON "payouts"("tenant_id", "mode", "created_at", "id");
CREATE INDEX "payouts_state_next_attempt_at_idx" ON "payouts"("state", "next_attempt_at");
CREATE UNIQUE INDEX "payouts_tenant_id_mode_idempotency_key_key" ON "payouts"("tenant_id", "mode", "idempotency_key");
CREATE INDEX "reconciliation_runs_mode_created_at_idx" ON "reconciliation_runs"("mode", "created_at");
CREATE INDEX "reconciliation_runs_matched_alerted_at_idx" ON "reconciliation_runs"("matched", "alerted_at");
