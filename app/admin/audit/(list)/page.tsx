import type { Metadata } from "next";
import { requireOperator } from "@/lib/admin/session";
import { parseAuditFilters, type SearchParams } from "@/lib/audit/filters";
import { listAuditPage } from "@/lib/audit/query";
import { getDb } from "@/lib/db/client";
import { AuditLog } from "@/components/audit/audit-log";

export const metadata: Metadata = { title: "Audit log" };

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const { values, filters, problem } = parseAuditFilters(await searchParams);
  const page = await listAuditPage(getDb(), { allTenants: true }, filters);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="mt-1 text-sm text-stone-600">
          Every recorded event of every workspace, and those outside any. Newest first; times are UTC.
        </p>
      </div>
      <AuditLog
        rows={page.data}
        values={values}
        basePath="/admin/audit"
        exportPath="/admin/audit/export"
        nextCursor={page.nextCursor}
        paged={Boolean(filters.cursor)}
        problem={problem?.message}
        showTenant
      />
    </div>
  );
}
