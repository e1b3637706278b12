// The verify path of a metered token: settle its deposit the first time (into the prepaid
// liability), then reserve up to the endpoint's maximum cost per call from the balance, in
// one statement. The conditional UPDATE takes the balance's row lock, so concurrent calls
// on one balance serialise there and none can take more than is available: a balance is
// never overdrawn. The reservation is settled by POST /v1/l402/charge (charge.ts) or,
// when never settled, expired back to the balance (expire.ts).
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { settleInvoice } from "../invoices/settle";

/** How long a call may hold its reservation before housekeeping gives it back. */
export const reservationSeconds = () => Number(process.env.PREPAID_RESERVATION_SECONDS ?? 300);

export interface MeteredToken {
  rootKeyId: string;
  paymentHash: string;
  tenantId: string;
  mode: KeyMode;
  balanceId: string;
  invoicePaid: boolean;
  amountMsat: bigint;
  feeBps: number;
}

export type ReserveResult =
  | { reserved: true; redemption: number; reservedMsat: bigint; balanceMsat: bigint }
  | {
      reserved: false;
      code: "insufficient_balance" | "used_up" | "expired" | "revoked";
      message: string;
      /** The balance a top-up would add to (insufficient or used up, still active). */
      topUp?: { balanceId: string; balanceMsat: bigint };
    };

// $1 root key id, $2 now, $3 balance id, $4 tenant, $5 the most one call may cost (null:
// the whole balance), $6 when the reservation lapses. Every metered call bumps the token's
// redemption counter (numbers only go up): it names the reservation, as it names a release.
const RESERVE = `WITH tok AS (
    UPDATE l402_tokens SET redemption_count = redemption_count + 1, last_redeemed_at = now()
    WHERE root_key_id = $1 AND revoked_at IS NULL AND valid_until > $2::timestamptz
    RETURNING payment_hash, redemption_count
  ), bal AS (
    UPDATE prepaid_balances SET
      last_reservation_msat = COALESCE($5::bigint, available_msat),
      available_msat = available_msat - COALESCE($5::bigint, available_msat),
      reserved_msat = reserved_msat + COALESCE($5::bigint, available_msat),
      last_used_at = now()
    WHERE id = $3 AND tenant_id = $4 AND disabled_at IS NULL AND expired_at IS NULL
      AND (expires_at IS NULL OR expires_at > $2::timestamptz)
      AND available_msat > 0 AND available_msat >= COALESCE($5::bigint, 0) AND EXISTS (SELECT 1 FROM tok)
    RETURNING last_reservation_msat, deposited_msat - spent_msat - forfeited_msat AS balance
  ), held AS (
    INSERT INTO prepaid_reservations (payment_hash, redemption, balance_id, tenant_id, reserved_msat, expires_at)
    SELECT tok.payment_hash, tok.redemption_count, $3, $4, bal.last_reservation_msat, $6::timestamptz FROM tok, bal
  )
  SELECT tok.redemption_count AS redemption, bal.last_reservation_msat::text AS reserved, bal.balance::text AS balance FROM tok, bal`;

export async function reserveCall(db: Db, token: MeteredToken, maxCostMsat: bigint | null, now = new Date()): Promise<ReserveResult> {
  if (!token.invoicePaid) {
    await settleInvoice(db, {
      paymentHash: token.paymentHash,
      tenantId: token.tenantId,
      mode: token.mode,
      amountMsat: token.amountMsat,
      feeBps: token.feeBps,
      prepaidBalanceId: token.balanceId,
    });
  }
  const lapses = new Date(now.getTime() + reservationSeconds() * 1000);
  const rows = await db.$queryRawUnsafe<{ redemption: number; reserved: string; balance: string }[]>(
    RESERVE,
    token.rootKeyId,
    now.toISOString(),
    token.balanceId,
    token.tenantId,
    maxCostMsat === null ? null : maxCostMsat.toString(),
    lapses.toISOString(),
  );
  const row = rows[0];
  if (row) return { reserved: true, redemption: row.redemption, reservedMsat: BigInt(row.reserved), balanceMsat: BigInt(row.balance) };
  return whyNotReserved(db, token, maxCostMsat, now);
}

async function whyNotReserved(db: Db, token: MeteredToken, maxCostMsat: bigint | null, now: Date): Promise<ReserveResult> {
  const balance = await db.prepaidBalance.findFirst({ where: { id: token.balanceId, tenantId: token.tenantId } });
  if (!balance) return { reserved: false, code: "revoked", message: "This prepaid balance does not exist." };
  if (balance.disabledAt) return { reserved: false, code: "revoked", message: "The API's owner disabled this prepaid balance." };
  if (balance.expiredAt || (balance.expiresAt && balance.expiresAt <= now))
    return { reserved: false, code: "expired", message: "This prepaid balance has expired: pay the fresh deposit invoice to call again." };
  const balanceMsat = balance.availableMsat + balance.reservedMsat;
  const topUp = { balanceId: balance.id, balanceMsat };
  if (balance.availableMsat === 0n && balance.reservedMsat === 0n)
    return { reserved: false, code: "used_up", message: "This prepaid balance is used up: pay the top-up invoice to go on.", topUp };
  const need = maxCostMsat ?? 1n;
  return {
    reserved: false,
    code: "insufficient_balance",
    message: `This call may cost up to ${need} msat and ${balance.availableMsat} msat of the balance is free: pay the top-up invoice; the balance carries over to the new credential.`,
    topUp,
  };
}
