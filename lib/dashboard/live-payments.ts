// The overview's live list: the 20 most recent payments of one tenant in one mode, polled
// by the page every few seconds (app/dashboard/live/route.ts). Membership is checked here
// too, so a tenant id from a cookie reaches only a tenant the user belongs to.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { listPayments } from "../stats";
import type { PaymentRow } from "../stats/types";
import { requireMembership } from "../tenants/permissions";

export const LIVE_PAYMENTS = 20;

export async function getLivePayments(db: Db, query: { userId: string; tenantId: string; mode: KeyMode }): Promise<PaymentRow[]> {
  await requireMembership(db, query.userId, query.tenantId);
  const page = await listPayments(db, { tenantId: query.tenantId, mode: query.mode, limit: LIVE_PAYMENTS, sort: "newest" });
  return page.data;
}
