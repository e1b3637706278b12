-- Three changes of issue #7 (items 5 and 6).

-- 1. Timestamps are timestamptz. Every column held UTC wall time in "timestamp(3) without
-- time zone" (Prisma's default), so a now() in SQL stored the session's local wall time:
-- the wrong instant whenever the session's TimeZone is not UTC. USING ... AT TIME ZONE
-- 'UTC' reads each stored value as the UTC time it always was, whatever this session's
-- TimeZone is (a bare SET DATA TYPE would read it in the session's zone).
ALTER TABLE "api_keys" ALTER COLUMN "expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "expires_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "revoked_at" SET DATA TYPE TIMESTAMPTZ(3) USING "revoked_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "last_used_at" SET DATA TYPE TIMESTAMPTZ(3) USING "last_used_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "audit_events" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "endpoints" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "updated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "updated_at" AT TIME ZONE 'UTC';
ALTER TABLE "failed_calls" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "invitations" ALTER COLUMN "expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "expires_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "accepted_at" SET DATA TYPE TIMESTAMPTZ(3) USING "accepted_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "revoked_at" SET DATA TYPE TIMESTAMPTZ(3) USING "revoked_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "invoices" ALTER COLUMN "expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "expires_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "settled_at" SET DATA TYPE TIMESTAMPTZ(3) USING "settled_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "journal_entries" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "l402_tokens" ALTER COLUMN "valid_until" SET DATA TYPE TIMESTAMPTZ(3) USING "valid_until" AT TIME ZONE 'UTC',
  ALTER COLUMN "revoked_at" SET DATA TYPE TIMESTAMPTZ(3) USING "revoked_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "last_redeemed_at" SET DATA TYPE TIMESTAMPTZ(3) USING "last_redeemed_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "ledger_accounts" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "memberships" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "sign_in_throttles" ALTER COLUMN "first_failed_at" SET DATA TYPE TIMESTAMPTZ(3) USING "first_failed_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "locked_until" SET DATA TYPE TIMESTAMPTZ(3) USING "locked_until" AT TIME ZONE 'UTC';
ALTER TABLE "simulated_invoices" ALTER COLUMN "expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "expires_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "settled_at" SET DATA TYPE TIMESTAMPTZ(3) USING "settled_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "simulated_payments" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';
ALTER TABLE "tenants" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "updated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "updated_at" AT TIME ZONE 'UTC';
ALTER TABLE "users" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
  ALTER COLUMN "updated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "updated_at" AT TIME ZONE 'UTC';

-- 2. Test money never looks like live money: journal entries and postings carry their mode.
ALTER TABLE "journal_entries" ADD COLUMN "mode" "KeyMode";
ALTER TABLE "postings" ADD COLUMN "mode" "KeyMode";

-- Backfill from the accounts (each account belongs to one mode). The ledger is append-only
-- (its triggers refuse any UPDATE); this one-time backfill of a new column is the only
-- exception, with just those triggers off for the two statements.
ALTER TABLE "postings" DISABLE TRIGGER "postings_append_only";
ALTER TABLE "journal_entries" DISABLE TRIGGER "journal_entries_append_only";
UPDATE "postings" p SET "mode" = a."mode" FROM "ledger_accounts" a WHERE a."id" = p."account_id";
-- An entry takes its postings' mode. One without postings moves no money; call it test.
UPDATE "journal_entries" e SET "mode" = COALESCE(
  (SELECT MIN(p."mode"::text)::"KeyMode" FROM "postings" p WHERE p."entry_id" = e."id"), 'test');
ALTER TABLE "postings" ENABLE TRIGGER "postings_append_only";
ALTER TABLE "journal_entries" ENABLE TRIGGER "journal_entries_append_only";

-- An existing entry that already mixes modes cannot be given one honest mode: stop here
-- and let a person post the correcting entries, rather than hide it.
DO $$
DECLARE
  mixed TEXT;
BEGIN
  SELECT string_agg("entry_id", ', ') INTO mixed FROM (
    SELECT "entry_id" FROM "postings" GROUP BY "entry_id" HAVING COUNT(DISTINCT "mode") > 1 LIMIT 10) m;
  IF mixed IS NOT NULL THEN
    RAISE EXCEPTION 'journal entries mixing test and live postings: %', mixed;
  END IF;
END $$;

ALTER TABLE "journal_entries" ALTER COLUMN "mode" SET NOT NULL;
ALTER TABLE "postings" ALTER COLUMN "mode" SET NOT NULL;

-- Postgres itself keeps the books apart: a posting's mode is its entry's mode and its
-- account's mode (composite foreign keys), so an entry whose postings mix modes, or differ
-- from the entry, or sit on an account of the other mode, is refused at insert.
CREATE UNIQUE INDEX "journal_entries_id_mode_key" ON "journal_entries"("id", "mode");
CREATE UNIQUE INDEX "ledger_accounts_id_mode_key" ON "ledger_accounts"("id", "mode");
ALTER TABLE "postings" DROP CONSTRAINT "postings_entry_id_fkey";
ALTER TABLE "postings" DROP CONSTRAINT "postings_account_id_fkey";
ALTER TABLE "postings" ADD CONSTRAINT "postings_mode_matches_entry" FOREIGN KEY ("entry_id", "mode") REFERENCES "journal_entries"("id", "mode") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "postings" ADD CONSTRAINT "postings_mode_matches_account" FOREIGN KEY ("account_id", "mode") REFERENCES "ledger_accounts"("id", "mode") ON DELETE RESTRICT ON UPDATE CASCADE;

-- 3. The settlement watcher's bookkeeping per invoice (lib/invoices/watch.ts): when to
-- look it up next, and how its lookups fail, so a failing invoice backs off instead of
-- blocking every invoice behind it.
ALTER TABLE "invoices" ADD COLUMN "next_lookup_at" TIMESTAMPTZ(3),
  ADD COLUMN "lookup_failures" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "last_lookup_error" TEXT;
CREATE INDEX "invoices_state_next_lookup_at_idx" ON "invoices"("state", "next_lookup_at");
