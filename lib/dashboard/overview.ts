// Everything the overview page shows, in one call: the stats helpers' queries (lib/stats)
// and the onboarding checklist, for one tenant in one mode, run side by side.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { getOnboardingChecklist } from "../onboarding/checklist";
import { getBalance, getFailedCalls, getFunnel, getOverviewStats } from "../stats";

export const FAILED_CALLS_SHOWN = 10;

export async function getOverviewPage(db: Db, scope: { tenantId: string; mode: KeyMode; now?: Date }) {
  const [stats, balance, funnel, failedCalls, checklist, endpoints] = await Promise.all([
    getOverviewStats(db, scope),
    getBalance(db, scope),
    getFunnel(db, scope),
    getFailedCalls(db, { ...scope, limit: FAILED_CALLS_SHOWN }),
    getOnboardingChecklist(db, scope),
    // What a test call can pay for.
    db.endpoint.findMany({
      where: { tenantId: scope.tenantId, enabled: true },
      select: { id: true, method: true, path: true, priceSats: true },
      orderBy: [{ method: "asc" }, { path: "asc" }],
    }),
  ]);
  return { stats, balance, funnel, failedCalls, checklist, endpoints };
}

export type OverviewPage = Awaited<ReturnType<typeof getOverviewPage>>;
