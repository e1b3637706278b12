// The Ctrl/⌘+K palette's search, for the signed-in member's active tenant and mode.
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { dashboardRoute } from "@/lib/dashboard/route";
import { searchDashboard } from "@/lib/dashboard/search";
import { getDb } from "@/lib/db/client";

export const GET = dashboardRoute(async (request: Request) => {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const results = await searchDashboard(getDb(), { tenantId: tenant.id, mode }, { q });
  return Response.json(results, { headers: { "cache-control": "no-store" } });
});
