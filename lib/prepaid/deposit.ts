// A paid deposit or top-up: the money is the payer's, held by the platform (deferred
// revenue), so it credits the tenant's prepaid liability, never the owner's available
// balance, and it is no revenue in the stats. The first payment for a balance id opens the
// balance; a later one (a top-up) adds to it, so what was left carries over.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accounts } from "../ledger/accounts";
import { postEntry } from "../ledger/post";
import type { SettleTarget } from "../invoices/settle";

type Tx = Pick<Db, "$executeRaw" | "$queryRaw">;

export function depositAccounts(mode: KeyMode, tenantId: string) {
  return [accounts.platformLightning(mode), accounts.tenantPrepaid(mode, tenantId)];
}

/** Inside the settling transaction, after the invoice is marked paid. Posts the entry
 *  `settle:<paymentHash>` once (whoever gets there first, verify or the watcher) and only
 *  then credits the balance and writes its history line. */
export async function settleDeposit(tx: Tx, target: SettleTarget & { prepaidBalanceId: string }): Promise<boolean> {
  const [lightning, prepaid] = depositAccounts(target.mode, target.tenantId);
  const posted = await postEntry(tx, {
    idempotencyKey: `settle:${target.paymentHash}`,
    kind: "prepaid_deposit",
    mode: target.mode,
    tenantId: target.tenantId,
    paymentHash: target.paymentHash,
    memo: `prepaid balance ${target.prepaidBalanceId}`,
    postings: [
      { account: lightning, amountMsat: target.amountMsat },
      { account: prepaid, amountMsat: -target.amountMsat },
    ],
  });
  if (!posted) return false;
  // The balance takes its terms from the deposit's invoice, token and endpoint: the fee
  // rate fixed on the invoice, the endpoint's expiry policy, the token's lifetime.
  await tx.$executeRaw`
    WITH src AS (
      SELECT i.tenant_id, i.mode, i.endpoint_id, t.endpoint_label, i.fee_bps, i.amount_msat, t.valid_until,
        COALESCE(e.balance_expiry, 'owner') AS policy,
        COALESCE(e.max_cost_per_call_sats::bigint * 1000, i.amount_msat / 10) AS low
      FROM invoices i JOIN l402_tokens t ON t.payment_hash = i.payment_hash LEFT JOIN endpoints e ON e.id = i.endpoint_id
      WHERE i.payment_hash = ${target.paymentHash}
    ), credited AS (
      INSERT INTO prepaid_balances (id, tenant_id, mode, endpoint_id, endpoint_label, fee_bps, expiry_policy, low_balance_msat,
        available_msat, deposited_msat, expires_at)
      SELECT ${target.prepaidBalanceId}, tenant_id, mode, endpoint_id, endpoint_label, fee_bps, policy, low, amount_msat, amount_msat,
        CASE WHEN policy = 'never' THEN NULL ELSE valid_until END
      FROM src
      ON CONFLICT (id) DO UPDATE SET
        available_msat = prepaid_balances.available_msat + EXCLUDED.available_msat,
        deposited_msat = prepaid_balances.deposited_msat + EXCLUDED.deposited_msat,
        -- A top-up's token lives on after the first one: so does the balance.
        expires_at = CASE WHEN prepaid_balances.expires_at IS NULL THEN NULL ELSE GREATEST(prepaid_balances.expires_at, EXCLUDED.expires_at) END,
        low_notified_at = NULL
      RETURNING (xmax = 0) AS opened, deposited_msat - spent_msat - forfeited_msat AS after
    )
    INSERT INTO prepaid_movements (id, balance_id, tenant_id, kind, amount_msat, balance_after_msat, payment_hash)
    SELECT gen_random_uuid()::text, ${target.prepaidBalanceId}, ${target.tenantId}, CASE WHEN opened THEN 'deposit' ELSE 'top_up' END,
      ${target.amountMsat}, after, ${target.paymentHash}
    FROM credited`;
  return true;
}
