// The console's payouts and reconciliation sections: the ledger's summary (pending payouts
// and the payout queues; holdings against what is owed), then the payouts that need a look
// across tenants (components/admin/payouts-panel.tsx) and the reconciliation history with
// its differences (components/admin/reconciliation-panel.tsx).
import Link from "next/link";
import type { AdminOverview } from "@/lib/admin/overview";
import type { QueueCounts } from "@/lib/admin/jobs";
import { Amount } from "@/components/ui/amount";
import { Card } from "@/components/ui/card";
import { PayoutsPanel } from "@/components/admin/payouts-panel";
import { ReconciliationPanel } from "@/components/admin/reconciliation-panel";

export function PayoutsSlot({ overview, queues }: { overview: AdminOverview; queues: QueueCounts[] }) {
  const payoutQueues = queues.filter((q) => q.name.includes("payout"));
  return (
    <section id="payouts" data-slot="payouts">
      <Card title="Payouts" description="Money on its way to tenants' Lightning addresses.">
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <dt className="text-stone-600">Pending payouts (ledger)</dt>
          <dd className="text-right font-medium">
            <Amount msat={overview.pendingPayoutsMsat} />
          </dd>
          {payoutQueues.map((q) => (
            <QueueLine key={q.name} queue={q} />
          ))}
        </dl>
        {payoutQueues.length === 0 && <p className="mt-3 text-xs text-stone-500">No payout queue is installed yet.</p>}
      </Card>
      <div className="mt-4">
        <PayoutsPanel problemsOnly />
      </div>
    </section>
  );
}

function QueueLine({ queue }: { queue: QueueCounts }) {
  return (
    <>
      <dt className="truncate text-stone-600">{queue.name}</dt>
      <dd className="text-right">
        <Link
          href="/admin/jobs"
          className={queue.counts.failed ? "font-medium text-red-700 underline" : "text-stone-700 underline-offset-2 hover:underline"}
        >
          {queue.counts.created + queue.counts.retry + queue.counts.active} waiting · {queue.counts.failed} failed
        </Link>
      </dd>
    </>
  );
}

export function ReconciliationSlot({ overview }: { overview: AdminOverview }) {
  return (
    <section id="reconciliation" data-slot="reconciliation">
      <Card title="Holdings" description="The ledger's Lightning holdings against what the platform owes.">
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <dt className="text-stone-600">Lightning holdings (ledger)</dt>
          <dd className="text-right font-medium">
            <Amount msat={overview.lightningHoldingsMsat} />
          </dd>
          <dt className="text-stone-600">Owed to tenants</dt>
          <dd className="text-right font-medium">
            <Amount msat={overview.owedToTenantsMsat} />
          </dd>
          <dt className="text-stone-600">Holdings minus owed</dt>
          <dd className={`text-right font-medium ${BigInt(overview.holdingsSurplusMsat) < 0n ? "text-red-700" : ""}`}>
            <Amount msat={overview.holdingsSurplusMsat} signed />
          </dd>
        </dl>
      </Card>
      <div className="mt-4">
        <ReconciliationPanel />
      </div>
    </section>
  );
}
