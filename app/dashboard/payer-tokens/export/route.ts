// The payer tokens page's "Download CSV": the same filters, every matching token (not one
// page), the dashboard's mode and active workspace.
import { requireTenant } from "@/lib/auth/session";
import { csvDownload } from "@/lib/dashboard/csv-response";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";
import { parsePayerTokenFilters } from "@/lib/prepaid/filters";
import { payerTokensCsv } from "@/lib/prepaid/export";

export const GET = dashboardRoute(async (request: Request) => {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const filters = parsePayerTokenFilters(Object.fromEntries(new URL(request.url).searchParams));
  const csv = await payerTokensCsv(getDb(), {
    tenantId: tenant.id,
    mode,
    search: filters.q,
    status: filters.status,
    endpoint: filters.endpoint,
    sort: filters.sort,
  });
  return csvDownload(new Blob([csv]).stream(), "payer-tokens", tenant.slug, mode);
});
