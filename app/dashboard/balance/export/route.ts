// The balance history page's "Download CSV": every movement of the active workspace's
// available balance in the dashboard's mode, newest first, with the running balance.
import { requireTenant } from "@/lib/auth/session";
import { csvDownload } from "@/lib/dashboard/csv-response";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";
import { streamBalanceHistoryCsv } from "@/lib/stats/export";

export const GET = dashboardRoute(async () => {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  return csvDownload(streamBalanceHistoryCsv(getDb(), { tenantId: tenant.id, mode }), "balance", tenant.slug, mode);
});
