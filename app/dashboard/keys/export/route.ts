// The API keys table as CSV: the signed-in member's active workspace, the dashboard's mode,
// and the page's own search, filter and sort (the same query as the page). Viewers may
// download it: it holds masked keys only.
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getKeyTable, parseKeyTableParams } from "@/lib/keys/queries/key-table";
import { csvLine } from "@/lib/export/csv";

const HEADER = [
  "name",
  "key",
  "mode",
  "status",
  "scopes",
  "allowed_ips",
  "created_at",
  "last_used_at",
  "expires_at",
  "revoked_at",
  "calls_this_month",
  "sats_this_month",
];

export async function GET(request: Request) {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const params = parseKeyTableParams(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await getKeyTable(getDb(), tenant.id, mode, params);
  const body =
    csvLine(HEADER) +
    rows
      .map((r) =>
        csvLine([
          r.name,
          r.maskedKey,
          mode,
          r.status,
          r.scopes.join(" "),
          r.allowedIps.join(" "),
          r.createdAt,
          r.lastUsedAt,
          r.expiresAt,
          r.revokedAt,
          r.callsThisMonth,
          r.satsThisMonth,
        ]),
      )
      .join("");
  const filename = `tollbooth-keys-${tenant.slug}-${mode}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
