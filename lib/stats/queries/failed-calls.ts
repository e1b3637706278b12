// Paid calls whose handler failed: the middleware reported them and the use was given back
// (lib/invoices/release.ts). Newest first, along failed_calls (tenant, created_at).
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { queryRows } from "../sql";
import type { FailedCallRow, Scope } from "../types";

export interface RawFailedCall {
  payment_hash: string;
  redemption: number;
  endpoint: string;
  status: number | null;
  reason: string | null;
  created_at: Date;
}

export function failedCallRow(row: RawFailedCall): FailedCallRow {
  return {
    paymentHash: row.payment_hash,
    redemption: row.redemption,
    endpoint: row.endpoint,
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}

export async function getFailedCalls(db: Db, query: Scope & { limit: number }): Promise<FailedCallRow[]> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), 100);
  // failed_calls has no mode of its own: the invoice says which book the payment is in.
  const rows = await queryRows<RawFailedCall>(
    db,
    Prisma.sql`
    SELECT f.payment_hash, f.redemption, f.endpoint, f.status, f.reason, f.created_at
    FROM failed_calls f JOIN invoices i ON i.payment_hash = f.payment_hash
    WHERE f.tenant_id = ${query.tenantId} AND i.mode = ${query.mode}::"KeyMode"
    ORDER BY f.created_at DESC, f.payment_hash DESC, f.redemption DESC
    LIMIT ${limit}`,
  );
  return rows.map(failedCallRow);
}
