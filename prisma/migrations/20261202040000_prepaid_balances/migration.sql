-- Prepaid balances and metered prices (issue 11): the endpoint's pricing mode, the
-- deposit/top-up link on invoices, balances, their history, and per-call reservations.

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "balance_expiry" TEXT NOT NULL DEFAULT 'owner',
ADD COLUMN     "dynamic_price" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "max_cost_per_call_sats" INTEGER,
ADD COLUMN     "pricing_mode" TEXT NOT NULL DEFAULT 'fixed';

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "prepaid_balance_id" TEXT;

-- CreateTable
CREATE TABLE "prepaid_balances" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "endpoint_id" TEXT,
    "endpoint_label" TEXT NOT NULL,
    "fee_bps" INTEGER NOT NULL,
    "expiry_policy" TEXT NOT NULL,
    "low_balance_msat" BIGINT NOT NULL,
    "available_msat" BIGINT NOT NULL DEFAULT 0,
    "reserved_msat" BIGINT NOT NULL DEFAULT 0,
    "last_reservation_msat" BIGINT NOT NULL DEFAULT 0,
    "deposited_msat" BIGINT NOT NULL DEFAULT 0,
    "spent_msat" BIGINT NOT NULL DEFAULT 0,
    "forfeited_msat" BIGINT NOT NULL DEFAULT 0,
    "charges" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "low_notified_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prepaid_balances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prepaid_movements" (
    "id" TEXT NOT NULL,
    "balance_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_msat" BIGINT NOT NULL,
    "balance_after_msat" BIGINT NOT NULL,
    "description" TEXT,
    "payment_hash" TEXT,
    "redemption" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prepaid_movements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prepaid_reservations" (
    "payment_hash" TEXT NOT NULL,
    "redemption" INTEGER NOT NULL,
    "balance_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "reserved_msat" BIGINT NOT NULL,
    "charged_msat" BIGINT,
    "state" TEXT NOT NULL DEFAULT 'open',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prepaid_reservations_pkey" PRIMARY KEY ("payment_hash","redemption")
);

-- CreateIndex

CREATE INDEX "prepaid_balances_tenant_id_mode_created_at_idx" ON "prepaid_balances"("tenant_id", "mode", "created_at");

-- CreateIndex

CREATE INDEX "prepaid_balances_expires_at_idx" ON "prepaid_balances"("expires_at");

-- CreateIndex

CREATE INDEX "prepaid_movements_balance_id_created_at_idx" ON "prepaid_movements"("balance_id", "created_at");

-- CreateIndex

CREATE INDEX "prepaid_reservations_state_expires_at_idx" ON "prepaid_reservations"("state", "expires_at");

