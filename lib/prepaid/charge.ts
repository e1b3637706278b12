// Settling a metered call: the handler reported what the call really cost. Keyed by the
// token's payment hash and the redemption number, so a settle that is retried (network,
// crash, a second report) is applied once: the conditional UPDATE of the open reservation
// is what decides, under its row lock. The charge (at most what was reserved) moves from
// the prepaid liability to the owner's available balance minus the fee fixed on the
// deposit's invoice; the rest of the reservation goes back to the balance. 0 (a failed
// handler) gives it all back and posts nothing.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accounts } from "../ledger/accounts";
import { splitFee } from "../ledger/fee";
import { ensureAccounts, postEntry } from "../ledger/post";
import { addSettlementToRollup } from "../stats/rollups";
import { publishEvent } from "../webhooks/publish";

export interface ChargeRequest {
  paymentHash: string;
  redemption: number;
  amountMsat: bigint;
  description?: string;
}

export type ChargeResult =
  | { applied: boolean; chargedMsat: bigint; balanceMsat: bigint }
  | { applied: false; reason: "not_found" | "expired" };

interface Settled {
  balance_id: string;
  reserved_msat: bigint;
  charged_msat: bigint;
}

interface BalanceAfter {
  balance: bigint;
  fee_bps: number;
  endpoint_label: string;
  low_balance_msat: bigint;
  low_notified: boolean;
}

export async function settleCharge(db: Db, key: { tenantId: string; mode: KeyMode }, request: ChargeRequest): Promise<ChargeResult> {
  const { tenantId, mode } = key;
  await ensureAccounts(db, [accounts.tenantPrepaid(mode, tenantId), accounts.tenantAvailable(mode, tenantId), accounts.platformFees(mode)]);
  return db.$transaction(async (tx) => {
    const [settled] = await tx.$queryRaw<Settled[]>`
      UPDATE prepaid_reservations r SET state = 'settled', settled_at = now(), charged_msat = LEAST(${request.amountMsat}::bigint, r.reserved_msat)
      FROM prepaid_balances b
      WHERE r.payment_hash = ${request.paymentHash} AND r.redemption = ${request.redemption} AND r.tenant_id = ${tenantId}
        AND r.state = 'open' AND b.id = r.balance_id AND b.mode = ${mode}::"KeyMode"
      RETURNING r.balance_id, r.reserved_msat, r.charged_msat`;
    if (!settled) return earlierAnswer(tx, key, request);

    const charged = settled.charged_msat;
    const [after] = await tx.$queryRaw<BalanceAfter[]>`
      UPDATE prepaid_balances SET
        available_msat = available_msat + ${settled.reserved_msat - charged}::bigint,
        reserved_msat = reserved_msat - ${settled.reserved_msat}::bigint,
        spent_msat = spent_msat + ${charged}::bigint,
        charges = charges + ${charged > 0n ? 1 : 0}::int,
        last_used_at = now()
      WHERE id = ${settled.balance_id}
      RETURNING deposited_msat - spent_msat - forfeited_msat AS balance, fee_bps, endpoint_label, low_balance_msat,
        low_notified_at IS NOT NULL AS low_notified`;
    if (charged > 0n) {
      await tx.$executeRaw`
        INSERT INTO prepaid_movements (id, balance_id, tenant_id, kind, amount_msat, balance_after_msat, description, payment_hash, redemption)
        VALUES (gen_random_uuid()::text, ${settled.balance_id}, ${tenantId}, 'usage', ${-charged}, ${after.balance}, ${request.description ?? null},
          ${request.paymentHash}, ${request.redemption})`;
      const { feeMsat, ownerMsat } = splitFee(charged, after.fee_bps);
      await postEntry(tx, {
        idempotencyKey: `charge:${request.paymentHash}:${request.redemption}`,
        kind: "prepaid_charge",
        mode,
        tenantId,
        paymentHash: request.paymentHash,
        memo: request.description,
        postings: [
          { account: accounts.tenantPrepaid(mode, tenantId), amountMsat: charged },
          { account: accounts.tenantAvailable(mode, tenantId), amountMsat: -ownerMsat },
          { account: accounts.platformFees(mode), amountMsat: -feeMsat },
        ],
      });
      // Only settled charges are the owner's revenue in the stats.
      await addSettlementToRollup(tx, {
        paymentHash: request.paymentHash,
        tenantId,
        mode,
        amountMsat: charged,
        feeMsat,
        netMsat: ownerMsat,
      });
    }
    if (after.balance < after.low_balance_msat && !after.low_notified) await notifyLow(tx, key, settled.balance_id, after);
    return { applied: true, chargedMsat: charged, balanceMsat: after.balance };
  });
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Once per crossing: a top-up clears low_notified_at (deposit.ts). */
async function notifyLow(tx: Tx, key: { tenantId: string; mode: KeyMode }, balanceId: string, after: BalanceAfter) {
  const marked =
    await tx.$executeRaw`UPDATE prepaid_balances SET low_notified_at = now() WHERE id = ${balanceId} AND low_notified_at IS NULL`;
  if (marked === 0) return;
  await publishEvent(tx, {
    tenantId: key.tenantId,
    mode: key.mode,
    type: "balance.low",
    // One event per crossing: low_notified_at (set above, in this transaction) makes the
    // crossing happen once; the key only has to differ from earlier crossings, which may
    // have left the same balance (a top-up, then the same dip again).
    idempotencyKey: `balance.low:${balanceId}:${randomUUID()}`,
    data: {
      object: "prepaid_balance",
      id: balanceId,
      endpoint: after.endpoint_label,
      balanceMsat: after.balance.toString(),
      lowBalanceMsat: after.low_balance_msat.toString(),
    },
  });
}

/** A repeat of a settled charge answers what the first did; an expired or unknown one says so. */
async function earlierAnswer(tx: Tx, key: { tenantId: string; mode: KeyMode }, request: ChargeRequest): Promise<ChargeResult> {
  const [row] = await tx.$queryRaw<{ state: string; charged_msat: bigint | null; balance: bigint }[]>`
    SELECT r.state, r.charged_msat, b.deposited_msat - b.spent_msat - b.forfeited_msat AS balance
    FROM prepaid_reservations r JOIN prepaid_balances b ON b.id = r.balance_id
    WHERE r.payment_hash = ${request.paymentHash} AND r.redemption = ${request.redemption} AND r.tenant_id = ${key.tenantId}
      AND b.mode = ${key.mode}::"KeyMode"`;
  if (!row) return { applied: false, reason: "not_found" };
  if (row.state === "expired") return { applied: false, reason: "expired" };
  return { applied: false, chargedMsat: row.charged_msat ?? 0n, balanceMsat: row.balance };
}
