-- Stats rollups per tenant, mode, endpoint and UTC day (lib/stats/rollups.ts keeps them as
-- invoices are issued, settled and first redeemed), and the journal's index for walking a
-- tenant's book in time order.

-- CreateTable
CREATE TABLE "stats_daily" (
    "tenant_id" TEXT NOT NULL,
    "mode" "KeyMode" NOT NULL,
    "day" DATE NOT NULL,
    "endpoint" TEXT NOT NULL,
    "shard" SMALLINT NOT NULL,
    "challenges" INTEGER NOT NULL DEFAULT 0,
    "payments" INTEGER NOT NULL DEFAULT 0,
    "amount_msat" BIGINT NOT NULL DEFAULT 0,
    "fee_msat" BIGINT NOT NULL DEFAULT 0,
    "net_msat" BIGINT NOT NULL DEFAULT 0,
    "redeemed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "stats_daily_pkey" PRIMARY KEY ("tenant_id","mode","day","endpoint","shard")
);

-- The (tenant, mode, time) walk replaces the (tenant, time) index: same leading column, so
-- whatever used the old one can use this one.
DROP INDEX "journal_entries_tenant_id_created_at_idx";
CREATE INDEX "journal_entries_tenant_id_mode_created_at_id_idx" ON "journal_entries"("tenant_id", "mode", "created_at", "id");

-- Movements that are not payments (payouts, reversals): few, found without walking the
-- settlements. Prisma's schema cannot state a partial index; it lives here only.
CREATE INDEX "journal_entries_other_movements_idx" ON "journal_entries"("tenant_id", "mode", "created_at", "id") WHERE "kind" <> 'settlement';

-- Backfill from what is already there, into shard 0: settlements from the ledger (amount =
-- the holdings posting, fee and net = the fee and owner credits), challenges from invoices,
-- first redemptions from tokens (on the day the invoice settled, the closest known).
INSERT INTO "stats_daily" ("tenant_id", "mode", "day", "endpoint", "shard", "challenges", "payments", "amount_msat", "fee_msat", "net_msat", "redeemed")
SELECT tenant_id, mode, day, endpoint, 0, SUM(challenges), SUM(payments), SUM(amount_msat), SUM(fee_msat), SUM(net_msat), SUM(redeemed)
FROM (
  SELECT je."tenant_id", je."mode", (je."created_at" AT TIME ZONE 'UTC')::date AS day, COALESCE(t."endpoint_label", 'unknown') AS endpoint,
    0 AS challenges, 1 AS payments,
    COALESCE((SELECT SUM(p."amount_msat") FROM "postings" p WHERE p."entry_id" = je."id" AND p."amount_msat" > 0), 0) AS amount_msat,
    COALESCE((SELECT -SUM(p."amount_msat") FROM "postings" p WHERE p."entry_id" = je."id" AND p."account_id" = je."mode"::text || ':platform:fees'), 0) AS fee_msat,
    COALESCE((SELECT -SUM(p."amount_msat") FROM "postings" p WHERE p."entry_id" = je."id" AND p."account_id" = je."mode"::text || ':tenant:' || je."tenant_id" || ':available'), 0) AS net_msat,
    0 AS redeemed
  FROM "journal_entries" je LEFT JOIN "l402_tokens" t ON t."payment_hash" = je."payment_hash"
  WHERE je."kind" = 'settlement' AND je."tenant_id" IS NOT NULL
  UNION ALL
  SELECT i."tenant_id", i."mode", (i."created_at" AT TIME ZONE 'UTC')::date, COALESCE(t."endpoint_label", 'unknown'), 1, 0, 0, 0, 0, 0
  FROM "invoices" i LEFT JOIN "l402_tokens" t ON t."payment_hash" = i."payment_hash"
  UNION ALL
  SELECT i."tenant_id", i."mode", (COALESCE(i."settled_at", t."last_redeemed_at", t."created_at") AT TIME ZONE 'UTC')::date, t."endpoint_label", 0, 0, 0, 0, 0, 1
  FROM "l402_tokens" t JOIN "invoices" i ON i."payment_hash" = t."payment_hash"
  WHERE t."redemption_count" > 0
) events
GROUP BY tenant_id, mode, day, endpoint;
