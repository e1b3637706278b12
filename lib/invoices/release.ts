// "Paid but failed": the protected handler answered 5xx or threw after the credential was
// redeemed. The middleware reports it; we give the use back so the payer retries with the
// same credential instead of paying twice. Keyed by (payment hash, redemption number), so
// a retried report gives back one use, not two, and only a redemption that happened can
// be released. Redemption numbers come from redemption_count, which never goes down: the
// retry after a released failure gets a new number, so it can be released in turn.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { publishEvent } from "../webhooks/publish";

export interface ReleaseRequest {
  paymentHash: string;
  redemption: number;
  status?: number;
  reason?: string;
}

export type ReleaseResult =
  | { released: true; remainingUses: number | null }
  | { released: false; reason: "already_released" | "not_found" };

/** Scoped to the key's tenant and mode: anything else is not_found. A release publishes
 *  payment.failed_call in the same transaction (once per redemption, like the release). */
export async function releaseUse(db: Db, key: { tenantId: string; mode: KeyMode }, request: ReleaseRequest): Promise<ReleaseResult> {
  const { tenantId, mode } = key;
  const rows = await db.$transaction(async (tx) => {
    const released = await tx.$queryRaw<{ uses_allowed: number; uses_consumed: number; endpoint: string }[]>`
    WITH recorded AS (
      INSERT INTO failed_calls (payment_hash, redemption, tenant_id, endpoint, status, reason)
      SELECT t.payment_hash, ${request.redemption}, t.tenant_id, t.endpoint_label, ${request.status ?? null}, ${request.reason ?? null}
      FROM l402_tokens t JOIN invoices i ON i.payment_hash = t.payment_hash
      WHERE t.payment_hash = ${request.paymentHash} AND t.tenant_id = ${tenantId} AND i.mode = ${mode}::"KeyMode"
        AND t.redemption_count >= ${request.redemption}
      ON CONFLICT DO NOTHING
      RETURNING payment_hash
    )
    UPDATE l402_tokens SET uses_consumed = uses_consumed - 1
    WHERE payment_hash IN (SELECT payment_hash FROM recorded) AND uses_consumed > 0
    RETURNING uses_allowed, uses_consumed, endpoint_label AS endpoint`;
    if (released[0]) {
      await publishEvent(tx, {
        tenantId,
        mode,
        type: "payment.failed_call",
        idempotencyKey: `payment.failed_call:${request.paymentHash}:${request.redemption}`,
        data: {
          paymentHash: request.paymentHash,
          redemption: request.redemption,
          endpoint: released[0].endpoint,
          status: request.status ?? null,
          reason: request.reason ?? null,
          remainingUses: released[0].uses_allowed === 0 ? null : released[0].uses_allowed - released[0].uses_consumed,
        },
      });
    }
    return released;
  });
  if (rows[0]) return { released: true, remainingUses: rows[0].uses_allowed === 0 ? null : rows[0].uses_allowed - rows[0].uses_consumed };
  const known = await db.failedCall.findUnique({
    where: { paymentHash_redemption: { paymentHash: request.paymentHash, redemption: request.redemption } },
    select: { tenantId: true },
  });
  return { released: false, reason: known?.tenantId === tenantId ? "already_released" : "not_found" };
}
