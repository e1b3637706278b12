// Posting a journal entry: one per business event (the idempotency key), postings summing
// to zero, all in the entry's mode (test and live are separate books). The database
// enforces the sum (a deferred trigger), the mode (composite foreign keys) and
// append-only; this checks sum and mode first too, to fail with a clear message before
// touching the database.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import type { AccountRef } from "./accounts";

type Tx = Pick<Db, "$executeRaw" | "$queryRaw">;

export interface EntryInput {
  idempotencyKey: string;
  kind: string;
  /** Which books: every posting's account must be of this mode. */
  mode: KeyMode;
  tenantId?: string;
  paymentHash?: string;
  memo?: string;
  postings: { account: AccountRef; amountMsat: bigint }[];
}

// Accounts are created on first use, outside any transaction (so a rolled-back entry cannot
// leave this cache believing in an account that does not exist); remembering which exist
// saves a statement per entry on the settlement path.
const knownAccounts = new Set<string>();

export async function ensureAccounts(db: Tx, refs: AccountRef[]) {
  for (const ref of refs) {
    if (knownAccounts.has(ref.id)) continue;
    // No conflict target: a concurrent first use collides on the primary key or on the
    // (id, mode) unique index, whichever Postgres checks first; both mean "it exists".
    await db.$executeRaw`
      INSERT INTO ledger_accounts (id, type, mode, tenant_id) VALUES (${ref.id}, ${ref.type}::"AccountType", ${ref.mode}::"KeyMode", ${ref.tenantId ?? null})
      ON CONFLICT DO NOTHING`;
    knownAccounts.add(ref.id);
  }
}

/** Posts the entry unless one with this idempotency key exists. Returns whether it did.
 *  Its accounts must exist (ensureAccounts, before the transaction). Call inside a
 *  transaction when the entry must commit with other changes. */
export async function postEntry(tx: Tx, entry: EntryInput): Promise<boolean> {
  const { entryId, postingIds, accountIds, amounts } = prepareEntry(entry);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO journal_entries (id, idempotency_key, kind, mode, tenant_id, payment_hash, memo)
    VALUES (${entryId}, ${entry.idempotencyKey}, ${entry.kind}, ${entry.mode}::"KeyMode", ${entry.tenantId ?? null}, ${entry.paymentHash ?? null}, ${entry.memo ?? null})
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;
  if (inserted.length === 0) return false;
  await tx.$executeRaw`
    INSERT INTO postings (id, entry_id, account_id, mode, amount_msat)
    SELECT id, ${entryId}, account_id, ${entry.mode}::"KeyMode", amount::bigint FROM unnest(${postingIds}::text[], ${accountIds}::text[], ${amounts}::text[]) AS p(id, account_id, amount)`;
  return true;
}

export interface PreparedEntry {
  entryId: string;
  postingIds: string[];
  accountIds: string[];
  /** Millisatoshis as decimal strings (cast to bigint in SQL). */
  amounts: string[];
}

/** Checks that the entry balances and keeps to its mode, and gives it and its postings
 *  their ids: what postEntry inserts, for a caller that writes the same rows inside a
 *  larger statement (the verify path's one-statement redeem-and-settle,
 *  lib/invoices/settle.ts). */
export function prepareEntry(entry: EntryInput): PreparedEntry {
  const sum = entry.postings.reduce((total, p) => total + p.amountMsat, 0n);
  if (sum !== 0n) throw new Error(`journal entry ${entry.idempotencyKey} does not balance: postings sum to ${sum} msat`);
  const otherMode = entry.postings.find((p) => p.account.mode !== entry.mode);
  if (otherMode)
    throw new Error(
      `journal entry ${entry.idempotencyKey} is ${entry.mode}-mode but posts to ${otherMode.account.mode}-mode account ${otherMode.account.id}`,
    );
  return {
    entryId: randomUUID(),
    postingIds: entry.postings.map(() => randomUUID()),
    accountIds: entry.postings.map((p) => p.account.id),
    amounts: entry.postings.map((p) => p.amountMsat.toString()),
  };
}
