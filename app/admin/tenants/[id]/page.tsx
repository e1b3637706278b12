import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireOperator } from "@/lib/admin/session";
import { getTenantDetail } from "@/lib/admin/tenants";
import { listAuditPage } from "@/lib/audit/query";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { formatUtc } from "@/lib/format/time";
import { SuspendForm } from "@/components/admin/suspend-form";
import { Amount } from "@/components/ui/amount";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";

export const metadata: Metadata = { title: "Tenant" };

export default async function TenantDetailPage({ params }: { params: Promise<{ id: string }> }) {
  await requireOperator();
  const { id } = await params;
  const mode = await getDashboardMode();
  const db = getDb();
  const tenant = await getTenantDetail(db, mode, id);
  if (!tenant) notFound();
  const recent = await listAuditPage(db, { tenantId: tenant.id }, { limit: 10 }, true);
  const suspended = Boolean(tenant.suspendedAt);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin/tenants" className="text-sm text-stone-600 underline-offset-2 hover:underline">
          ← Tenants
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
          <span className="break-all">{tenant.name}</span>
          {suspended ? <Badge tone="red">suspended</Badge> : <Badge tone="green">active</Badge>}
        </h1>
        <p className="mt-1 break-all text-sm text-stone-600">
          {tenant.slug} · created {formatUtc(new Date(tenant.createdAt))} · Lightning address {tenant.lightningAddress ?? "not set"}
        </p>
      </div>

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label={`Volume (${mode})`} hint={`${tenant.payments.toLocaleString("en-US")} payments`}>
          <Amount msat={tenant.volumeMsat} />
        </Stat>
        <Stat label="Available">
          <Amount msat={tenant.availableMsat} />
        </Stat>
        <Stat label="Pending payouts">
          <Amount msat={tenant.pendingPayoutMsat} />
        </Stat>
        <Stat label="Active API keys">
          {tenant.activeKeys.live ?? 0} live · {tenant.activeKeys.test ?? 0} test
        </Stat>
      </div>

      <Card
        title={suspended ? "Suspended" : "Suspend this tenant"}
        description={
          suspended
            ? `Since ${formatUtc(new Date(tenant.suspendedAt!))}. Reason: ${tenant.suspendedReason ?? "—"}. Its API keys are refused with 403 tenant_suspended.`
            : "Its API keys are then refused on every /api/v1 call (403 tenant_suspended), and its members see a banner. Nothing is deleted; unsuspending restores it."
        }
      >
        <SuspendForm key={String(suspended)} tenantId={tenant.id} suspended={suspended} />
      </Card>

      <Card title="Members">
        <ul className="divide-y divide-stone-100 text-sm">
          {tenant.members.map((m) => (
            <li key={m.email} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="min-w-0 break-all">{m.name ? `${m.name} (${m.email})` : m.email}</span>
              <Badge>{m.role}</Badge>
            </li>
          ))}
        </ul>
      </Card>

      <Card
        title="Recent activity"
        description={
          <Link href={`/admin/audit?tenant=${encodeURIComponent(tenant.slug)}`} className="underline underline-offset-2">
            All events in the audit log
          </Link>
        }
      >
        {recent.data.length === 0 ? (
          <p className="text-sm text-stone-500">Nothing recorded yet.</p>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm">
            {recent.data.map((e) => (
              <li key={e.id} className="flex flex-wrap justify-between gap-x-3 py-2">
                <span className="min-w-0">
                  {e.actionLabel} <span className="text-stone-500">· {e.who}</span>
                </span>
                <span className="whitespace-nowrap text-xs text-stone-500">{formatUtc(new Date(e.createdAt))}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
