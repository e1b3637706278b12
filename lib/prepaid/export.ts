// CSV of payer tokens (outstanding prepaid balances) and of one token's history (its
// deposits, top-ups, settled charges and expiry). Amounts in msat, exact.
import type { Db } from "../db/client";
import { csvLine } from "../export/csv";
import { getPayerToken } from "./queries/detail";
import { listPayerTokens, type PayerTokenQuery } from "./queries/list";

export async function payerTokensCsv(db: Db, query: Omit<PayerTokenQuery, "limit" | "cursor">): Promise<string> {
  const { data } = await listPayerTokens(db, { ...query, limit: 0 });
  let csv = csvLine([
    "token_id",
    "endpoint",
    "status",
    "balance_msat",
    "reserved_msat",
    "deposited_msat",
    "spent_msat",
    "forfeited_msat",
    "charges",
    "created_at",
    "last_used_at",
    "expires_at",
  ]);
  for (const r of data)
    csv += csvLine([
      r.id,
      r.endpoint,
      r.status,
      r.balanceMsat,
      r.reservedMsat,
      r.depositedMsat,
      r.spentMsat,
      r.forfeitedMsat,
      r.charges,
      r.createdAt,
      r.lastUsedAt,
      r.expiresAt,
    ]);
  return csv;
}

export async function payerTokenHistoryCsv(db: Db, scope: Pick<PayerTokenQuery, "tenantId" | "mode">, id: string): Promise<string | null> {
  const found = await getPayerToken(db, scope, id, 0);
  if (!found) return null;
  let csv = csvLine(["created_at", "kind", "amount_msat", "balance_after_msat", "description", "payment_hash"]);
  for (const m of [...found.history].reverse())
    csv += csvLine([m.createdAt, m.kind, m.amountMsat, m.balanceAfterMsat, m.description, m.paymentHash]);
  return csv;
}
