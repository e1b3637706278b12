-- CreateEnum
CREATE TYPE "KeyMode" AS ENUM ('test', 'live');

-- CreateEnum
CREATE TYPE "InvoiceState" AS ENUM ('pending', 'paid', 'expired');

-- CreateEnum
CREATE TYPE "AccountType" AS ENUM ('asset', 'liability', 'revenue', 'expense');

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "prefix" TEXT NOT NULL,
    "last_four" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "allowed_ips" TEXT[],
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    "rotated_from_id" TEXT,
    "created_by_user_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoints" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "price_sats" INTEGER NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "token_lifetime_seconds" INTEGER NOT NULL DEFAULT 3600,
    "uses_per_payment" INTEGER NOT NULL DEFAULT 1,
    "discovered" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoices" (
    "payment_hash" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT,
    "api_key_id" TEXT,
    "mode" "KeyMode" NOT NULL,
    "backend" TEXT NOT NULL,
    "bolt11" TEXT NOT NULL,
    "amount_msat" BIGINT NOT NULL,
    "description" TEXT NOT NULL,
    "state" "InvoiceState" NOT NULL DEFAULT 'pending',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "settled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("payment_hash")
);

-- CreateTable
CREATE TABLE "l402_tokens" (
    "root_key_id" TEXT NOT NULL,
    "token_id" TEXT NOT NULL,
    "payment_hash" TEXT NOT NULL,
    "root_key" BYTEA NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "endpoint_id" TEXT,
    "endpoint_label" TEXT NOT NULL,
    "uses_allowed" INTEGER NOT NULL,
    "uses_consumed" INTEGER NOT NULL DEFAULT 0,
    "valid_until" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "last_redeemed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "l402_tokens_pkey" PRIMARY KEY ("root_key_id")
);

-- CreateTable
CREATE TABLE "simulated_invoices" (
    "payment_hash" TEXT NOT NULL,
    "preimage" TEXT NOT NULL,
    "bolt11" TEXT NOT NULL,
    "amount_msat" BIGINT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "settled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "simulated_invoices_pkey" PRIMARY KEY ("payment_hash")
);

-- CreateTable
CREATE TABLE "simulated_payments" (
    "payment_hash" TEXT NOT NULL,
    "bolt11" TEXT NOT NULL,
    "amount_msat" BIGINT NOT NULL,
    "fee_msat" BIGINT NOT NULL DEFAULT 0,
    "preimage" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "simulated_payments_pkey" PRIMARY KEY ("payment_hash")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" TEXT NOT NULL,
    "type" "AccountType" NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "tenant_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journal_entries" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tenant_id" TEXT,
    "payment_hash" TEXT,
    "memo" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journal_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postings" (
    "id" TEXT NOT NULL,
    "entry_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "amount_msat" BIGINT NOT NULL,

    CONSTRAINT "postings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys"("hash");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_tenant_id_method_path_key" ON "endpoints"("tenant_id", "method", "path");

-- CreateIndex
CREATE INDEX "invoices_tenant_id_created_at_idx" ON "invoices"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "invoices_state_expires_at_idx" ON "invoices"("state", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "l402_tokens_token_id_key" ON "l402_tokens"("token_id");

-- CreateIndex
CREATE UNIQUE INDEX "l402_tokens_payment_hash_key" ON "l402_tokens"("payment_hash");

-- CreateIndex
CREATE INDEX "l402_tokens_tenant_id_idx" ON "l402_tokens"("tenant_id");

-- CreateIndex
CREATE INDEX "ledger_accounts_tenant_id_idx" ON "ledger_accounts"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "journal_entries_idempotency_key_key" ON "journal_entries"("idempotency_key");

-- CreateIndex
CREATE INDEX "journal_entries_tenant_id_created_at_idx" ON "journal_entries"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "postings_account_id_idx" ON "postings"("account_id");

-- CreateIndex
CREATE INDEX "postings_entry_id_idx" ON "postings"("entry_id");

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "journal_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postings" ADD CONSTRAINT "postings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The ledger's two rules, enforced by the database itself so no code path can break them:
-- 1. the postings of a journal entry sum to zero (checked at commit, after all postings);
-- 2. entries and postings are append-only (corrections are new reversing entries).
CREATE FUNCTION ledger_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total NUMERIC;
BEGIN
  SELECT COALESCE(SUM(amount_msat), 0) INTO total FROM postings WHERE entry_id = NEW.entry_id;
  IF total <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance (sum of postings = % msat)', NEW.entry_id, total;
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER postings_balance
  AFTER INSERT ON postings DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances();

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: post a reversing entry instead of changing %', TG_TABLE_NAME;
END $$;

CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
