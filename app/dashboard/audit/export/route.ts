// The audit log's "Download CSV": the active workspace's events only, with exactly the
// page's filters (a filter the page would have left out is an error here).
import { requireTenant } from "@/lib/auth/session";
import { streamAuditCsv } from "@/lib/audit/export";
import { parseAuditFilters } from "@/lib/audit/filters";
import { csvAttachment } from "@/lib/dashboard/csv-response";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";

export const GET = dashboardRoute(async (request: Request) => {
  const { tenant } = await requireTenant();
  const params = Object.fromEntries(new URL(request.url).searchParams);
  delete params.cursor;
  const { filters, problem } = parseAuditFilters(params);
  if (problem) throw problem;
  const { cursor: _cursor, limit: _limit, ...rest } = filters;
  return csvAttachment(
    streamAuditCsv(getDb(), { tenantId: tenant.id }, rest),
    `tollbooth-audit-${tenant.slug}-${new Date().toISOString().slice(0, 10)}.csv`,
  );
});
