// The operator's view of payouts across tenants: the most recent, or only the failed and
// retrying ones, with the tenant's name and the reason.
import type { Db } from "../../db/client";
import type { Payout } from "../../db/generated/client";

export interface OperatorPayoutRow extends Payout {
  tenantName: string;
}

export async function listOperatorPayouts(db: Db, options: { problemsOnly?: boolean; limit?: number } = {}): Promise<OperatorPayoutRow[]> {
  const payouts = await db.payout.findMany({
    where: options.problemsOnly ? { OR: [{ state: "failed" }, { state: "pending", attempts: { gt: 0 } }] } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(options.limit ?? 50, 200),
  });
  const tenants = await db.tenant.findMany({
    where: { id: { in: [...new Set(payouts.map((p) => p.tenantId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  return payouts.map((payout) => ({ ...payout, tenantName: names.get(payout.tenantId) ?? "(deleted workspace)" }));
}
