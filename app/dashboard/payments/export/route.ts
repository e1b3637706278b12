// The payments page's "Download CSV": the signed-in member's active workspace, the
// dashboard's mode and exactly the page's filters (the same query string, read the same
// way), streamed from the database. A filter the page would have ignored is an error here:
// a file must never hold more than was asked for.
import { requireTenant } from "@/lib/auth/session";
import { csvDownload } from "@/lib/dashboard/csv-response";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { parsePaymentFilters } from "@/lib/dashboard/payment-filters";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";
import { streamPaymentsCsv } from "@/lib/stats/export";

export const GET = dashboardRoute(async (request: Request) => {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const params = new URL(request.url).searchParams;
  params.delete("cursor"); // a file holds every matching row, not one page of them
  const { filters, problem } = parsePaymentFilters(Object.fromEntries(params));
  if (problem) throw problem;
  return csvDownload(streamPaymentsCsv(getDb(), { tenantId: tenant.id, mode, ...filters }), "payments", tenant.slug, mode);
});
