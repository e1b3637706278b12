// One payer token's history as CSV: deposits, top-ups, settled charges, expiry.
import { requireTenant } from "@/lib/auth/session";
import { csvDownload } from "@/lib/dashboard/csv-response";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { dashboardRoute } from "@/lib/dashboard/route";
import { getDb } from "@/lib/db/client";
import { payerTokenHistoryCsv } from "@/lib/prepaid/export";

export const GET = dashboardRoute(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const { id } = await context.params;
  const csv = await payerTokenHistoryCsv(getDb(), { tenantId: tenant.id, mode }, id);
  if (csv === null) return new Response("Not found", { status: 404 });
  return csvDownload(new Blob([csv]).stream(), `payer-token-${id}`, tenant.slug, mode);
});
