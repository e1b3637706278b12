import type { Metadata } from "next";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { listAuditEvents } from "@/lib/audit/list";
import { Card, EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { tenant } = await requireTenant();
  const events = await listAuditEvents(getDb(), tenant.id);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <Card description="Sign-ins, invitations, role changes, and endpoint and API-key changes in this workspace, newest first.">
        {events.length === 0 ? (
          <EmptyState title="Nothing recorded yet" />
        ) : (
          <div className="-mx-5 overflow-x-auto sm:mx-0">
            <table className="w-full min-w-[40rem] text-left text-sm" data-testid="audit-table">
              <thead className="text-xs uppercase text-stone-500">
                <tr>
                  <th className="px-2 py-2">When (UTC)</th>
                  <th className="px-2">Action</th>
                  <th className="px-2">Who</th>
                  <th className="px-2">Target</th>
                  <th className="px-2">IP</th>
                  <th className="px-2">User agent</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {events.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap px-2 py-2 font-mono text-xs">
                      {e.createdAt.toISOString().slice(0, 19).replace("T", " ")}
                    </td>
                    <td className="px-2">{e.action}</td>
                    <td className="px-2">{e.actorLabel ?? e.actorUserId ?? "—"}</td>
                    <td className="px-2">{e.target ?? "—"}</td>
                    <td className="px-2 font-mono text-xs">{e.ip ?? "—"}</td>
                    <td className="max-w-48 truncate px-2 text-xs text-stone-500" title={e.userAgent ?? ""}>
                      {e.userAgent ?? "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
