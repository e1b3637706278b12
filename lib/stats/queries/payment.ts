// One payment's page: its settlement, invoice, token, ledger entry with postings and the
// failed calls released on it. Scoped: another tenant's or mode's payment is not found.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { PaymentDetail, Scope } from "../types";
import { failedCallRow, type RawFailedCall } from "./failed-calls";
import { paymentRowsSql, queryPaymentRows, toPaymentRow } from "./payment-rows";

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export async function getPayment(db: Db, query: Scope & { paymentHash: string }): Promise<PaymentDetail> {
  const paymentHash = query.paymentHash.toLowerCase();
  const [row] = await queryPaymentRows(
    db,
    paymentRowsSql(query, [Prisma.sql`je.idempotency_key = ${`settle:${paymentHash}`}`], Prisma.sql`LIMIT 1`),
  );
  if (!row) throw new AppError("not_found_error", "payment_not_found", `No ${query.mode}-mode payment ${paymentHash} in this account.`);

  const [invoice, token, postings, failed] = await Promise.all([
    db.invoice.findFirst({ where: { paymentHash, tenantId: query.tenantId, mode: query.mode } }),
    db.l402Token.findFirst({ where: { paymentHash, tenantId: query.tenantId } }),
    db.posting.findMany({ where: { entryId: row.entry_id, mode: query.mode }, orderBy: { amountMsat: "desc" } }),
    db.$queryRaw<RawFailedCall[]>`
      SELECT payment_hash, redemption, endpoint, status, reason, created_at FROM failed_calls
      WHERE payment_hash = ${paymentHash} AND tenant_id = ${query.tenantId} ORDER BY redemption`,
  ]);
  const entry = await db.journalEntry.findUniqueOrThrow({ where: { id: row.entry_id } });
  if (!invoice) throw new AppError("not_found_error", "payment_not_found", `No ${query.mode}-mode payment ${paymentHash} in this account.`);
  return {
    payment: toPaymentRow(row),
    invoice: {
      paymentHash: invoice.paymentHash,
      bolt11: invoice.bolt11,
      amountMsat: invoice.amountMsat.toString(),
      feeBps: invoice.feeBps,
      description: invoice.description,
      state: invoice.state,
      backend: invoice.backend,
      createdAt: invoice.createdAt.toISOString(),
      expiresAt: invoice.expiresAt.toISOString(),
      settledAt: iso(invoice.settledAt),
      apiKeyId: invoice.apiKeyId,
    },
    token: token && {
      tokenId: token.tokenId,
      endpoint: token.endpointLabel,
      usesAllowed: token.usesAllowed,
      usesConsumed: token.usesConsumed,
      redemptionCount: token.redemptionCount,
      validUntil: token.validUntil.toISOString(),
      revokedAt: iso(token.revokedAt),
      lastRedeemedAt: iso(token.lastRedeemedAt),
    },
    ledgerEntry: {
      id: entry.id,
      idempotencyKey: entry.idempotencyKey,
      kind: entry.kind,
      createdAt: entry.createdAt.toISOString(),
      postings: postings.map((p) => ({ accountId: p.accountId, amountMsat: p.amountMsat.toString() })),
    },
    failedCalls: failed.map(failedCallRow),
  };
}
