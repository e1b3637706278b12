import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";

/** An invoice of the key's tenant and mode, or null: other tenants' invoices, and the
 *  other mode's, do not exist here (a test key never reads live money, nor the reverse). */
export async function findInvoice(db: Db, key: { tenantId: string; mode: KeyMode }, paymentHash: string) {
  const invoice = await db.invoice.findFirst({ where: { paymentHash, tenantId: key.tenantId, mode: key.mode } });
  if (!invoice) return null;
  const token = await db.l402Token.findUnique({
    where: { paymentHash },
    select: { usesAllowed: true, usesConsumed: true, validUntil: true, revokedAt: true, endpointLabel: true },
  });
  const expired = invoice.state === "pending" && invoice.expiresAt < new Date();
  return {
    paymentHash: invoice.paymentHash,
    state: expired ? "expired" : invoice.state,
    amountSats: Number(invoice.amountMsat / 1000n),
    amountMsat: invoice.amountMsat.toString(),
    invoice: invoice.bolt11,
    endpoint: token?.endpointLabel ?? null,
    mode: invoice.mode,
    createdAt: invoice.createdAt.toISOString(),
    expiresAt: invoice.expiresAt.toISOString(),
    settledAt: invoice.settledAt?.toISOString() ?? null,
    token: token
      ? {
          usesAllowed: token.usesAllowed,
          usesConsumed: token.usesConsumed,
          validUntil: token.validUntil.toISOString(),
          revoked: token.revokedAt !== null,
        }
      : null,
  };
}
