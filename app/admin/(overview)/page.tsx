import Link from "next/link";
import { queueCounts } from "@/lib/admin/jobs";
import { getAdminOverview, platformInfo } from "@/lib/admin/overview";
import { requireOperator } from "@/lib/admin/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { QueueTable } from "@/components/admin/queue-table";
import { VolumeChart } from "@/components/admin/volume-chart";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { Card } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { PayoutsSlot, ReconciliationSlot } from "./slots";

export default async function AdminOverviewPage() {
  await requireOperator();
  const mode = await getDashboardMode();
  const db = getDb();
  const [overview, queues] = await Promise.all([getAdminOverview(db, mode), queueCounts(db)]);
  const platform = platformInfo();
  const failed = queues.reduce((sum, q) => sum + q.counts.failed, 0);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">{platform.name}</h1>
          <p className="mt-1 break-words text-sm text-stone-600" data-testid="platform-info">
            Version {platform.version} · {platform.publicUrl ?? "no public URL set (PUBLIC_URL)"} · <strong>{mode}</strong> book
          </p>
        </div>
        <AmountUnitToggle />
      </div>

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Volume" hint={`${overview.payments.toLocaleString("en-US")} payments`} testId="admin-volume">
          <Amount msat={overview.volumeMsat} />
        </Stat>
        <Stat label="Fee revenue" testId="admin-fees">
          <Amount msat={overview.feeMsat} />
        </Stat>
        <Stat label="Owed to tenants" hint="available + pending payouts" testId="admin-owed">
          <Amount msat={overview.owedToTenantsMsat} />
        </Stat>
        <Stat label="Lightning (ledger)" hint="vs owed: see reconciliation" testId="admin-holdings">
          <Amount msat={overview.lightningHoldingsMsat} />
        </Stat>
      </div>

      <Card title="Last 30 days" description="Everything paid through the platform and the fees it kept, per UTC day.">
        <VolumeChart byDay={overview.byDay} today={new Date().toISOString().slice(0, 10)} />
      </Card>

      <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
        <PayoutsSlot overview={overview} queues={queues} />
        <ReconciliationSlot overview={overview} />
      </div>

      <Card
        title="Job queues"
        description={
          <>
            {failed > 0 ? <strong className="text-red-700">{failed} failed job(s). </strong> : "No failed jobs. "}
            <Link href="/admin/jobs" className="underline underline-offset-2">
              Open the queues
            </Link>
          </>
        }
      >
        <QueueTable queues={queues} />
      </Card>

      <Card title="Tenants">
        <p className="text-sm text-stone-700">
          {overview.tenants.toLocaleString("en-US")} tenants
          {overview.suspendedTenants > 0 ? `, ${overview.suspendedTenants} suspended` : ""}.{" "}
          <Link href="/admin/tenants" className="underline underline-offset-2">
            Search tenants
          </Link>
        </p>
      </Card>
    </div>
  );
}
