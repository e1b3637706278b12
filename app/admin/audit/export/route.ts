// The operator's audit CSV: every tenant's events (with a workspace column), exactly the
// page's filters. Anyone who is not an operator gets the same 404 as for the pages.
import { currentOperator } from "@/lib/admin/session";
import { streamAuditCsv } from "@/lib/audit/export";
import { parseAuditFilters } from "@/lib/audit/filters";
import { csvAttachment } from "@/lib/dashboard/csv-response";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";

export const GET = dashboardRoute(async (request: Request) => {
  if (!(await currentOperator())) return new Response("Not Found", { status: 404 });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  delete params.cursor;
  const { filters, problem } = parseAuditFilters(params);
  if (problem) throw problem;
  const { cursor: _cursor, limit: _limit, ...rest } = filters;
  return csvAttachment(
    streamAuditCsv(getDb(), { allTenants: true }, rest),
    `tollbooth-audit-all-${new Date().toISOString().slice(0, 10)}.csv`,
  );
});
