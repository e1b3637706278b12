import type { Metadata } from "next";
import { requireOperator } from "@/lib/admin/session";
import { parseAuditFilters, type SearchParams } from "@/lib/audit/filters";
import { ACTION_LABELS, SECURITY_ACTIONS } from "@/lib/audit/labels";
import { listAuditPage } from "@/lib/audit/query";
import { getDb } from "@/lib/db/client";
import { AuditLog } from "@/components/audit/audit-log";

export const metadata: Metadata = { title: "Security log" };

// The security-relevant actions the select offers: the exact ones and every labelled action
// under a prefix (payout.*, operator.*).
const SECURITY_OPTIONS = [
  ...SECURITY_ACTIONS.filter((a) => !a.endsWith(".")),
  ...Object.keys(ACTION_LABELS).filter((a) => SECURITY_ACTIONS.some((p) => p.endsWith(".") && a.startsWith(p))),
];

export default async function SecurityLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOperator();
  const { values, filters, problem } = parseAuditFilters(await searchParams);
  const page = await listAuditPage(getDb(), { allTenants: true, actions: SECURITY_ACTIONS }, filters);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Security log</h1>
        <p className="mt-1 text-sm text-stone-600">
          Sign-ins, failed sign-ins and lock-outs, payouts, Lightning-address changes and operator actions, across every tenant.
        </p>
      </div>
      <AuditLog
        rows={page.data}
        values={values}
        basePath="/admin/security"
        nextCursor={page.nextCursor}
        paged={Boolean(filters.cursor)}
        problem={problem?.message}
        showTenant
        actions={SECURITY_OPTIONS}
      />
    </div>
  );
}
