// Settlement: the invoice is paid; the ledger records it once. Whether the verify call or
// the settlement watcher gets there first, the idempotency key settle:<paymentHash> makes
// the second a no-op.
import type { Db } from "../db/client";
import { accounts } from "../ledger/accounts";
import { splitFee } from "../ledger/fee";
import { ensureAccounts, postEntry } from "../ledger/post";
import type { KeyMode } from "../keys/api-keys";

type Tx = Pick<Db, "$executeRaw" | "$queryRaw">;

export interface SettleTarget {
  paymentHash: string;
  tenantId: string;
  mode: KeyMode;
  amountMsat: bigint;
}

export function settlementAccounts(mode: KeyMode, tenantId: string) {
  return [accounts.platformLightning(mode), accounts.tenantAvailable(mode, tenantId), accounts.platformFees(mode)];
}

/** Must run after ensureAccounts(db, settlementAccounts(...)); inside the caller's transaction. */
export async function settleInTransaction(tx: Tx, target: SettleTarget): Promise<boolean> {
  await tx.$executeRaw`UPDATE invoices SET state = 'paid', settled_at = now() WHERE payment_hash = ${target.paymentHash} AND state <> 'paid'`;
  const { feeMsat, ownerMsat } = splitFee(target.amountMsat);
  const [lightning, available, fees] = settlementAccounts(target.mode, target.tenantId);
  return postEntry(tx, {
    idempotencyKey: `settle:${target.paymentHash}`,
    kind: "settlement",
    tenantId: target.tenantId,
    paymentHash: target.paymentHash,
    postings: [
      { account: lightning, amountMsat: target.amountMsat },
      { account: available, amountMsat: -ownerMsat },
      { account: fees, amountMsat: -feeMsat },
    ],
  });
}

/** Settles on its own (the watcher's path). Returns whether this call posted the entry. */
export async function settleInvoice(db: Db, target: SettleTarget): Promise<boolean> {
  await ensureAccounts(db, settlementAccounts(target.mode, target.tenantId));
  return db.$transaction((tx) => settleInTransaction(tx, target));
}
