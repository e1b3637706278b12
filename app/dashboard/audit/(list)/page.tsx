import type { Metadata } from "next";
import { requireTenant } from "@/lib/auth/session";
import { parseAuditFilters, type SearchParams } from "@/lib/audit/filters";
import { listAuditPage } from "@/lib/audit/query";
import { getDb } from "@/lib/db/client";
import { AuditLog } from "@/components/audit/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { tenant } = await requireTenant();
  const { values, filters, problem } = parseAuditFilters(await searchParams);
  const page = await listAuditPage(getDb(), { tenantId: tenant.id }, filters);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="mt-1 text-sm text-stone-600">
          Who signed in to this workspace and what changed in it: members, endpoints, API keys, settings. Newest first; times are UTC.
        </p>
      </div>
      <AuditLog
        rows={page.data}
        values={values}
        basePath="/dashboard/audit"
        exportPath="/dashboard/audit/export"
        nextCursor={page.nextCursor}
        paged={Boolean(filters.cursor)}
        problem={problem?.message}
      />
    </div>
  );
}
