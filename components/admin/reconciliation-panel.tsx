// Operator console: the reconciliation history (lib/reconciliation), newest first, with
// any difference highlighted. A server component; mount it in /admin.
import { Amount } from "@/components/ui/amount";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { formatUtc } from "@/lib/format/time";
import { listReconciliationRuns } from "@/lib/reconciliation/queries";

function Difference({ msat }: { msat: bigint | null }) {
  if (msat === null) return <span className="text-stone-400">—</span>;
  if (msat === 0n) return <span className="text-stone-500">0</span>;
  return <Amount msat={msat.toString()} signed className="font-semibold text-red-700" />;
}

export async function ReconciliationPanel({ limit = 20 }: { limit?: number }) {
  const runs = await listReconciliationRuns(getDb(), { limit });
  return (
    <Card
      title="Reconciliation"
      description="The ledger's Lightning holdings against the node's balance and against settled invoices minus payouts, every 10 minutes. A difference that stays across runs is real."
    >
      {runs.length === 0 ? (
        <EmptyState title="No reconciliation yet">The worker runs one every 10 minutes.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="reconciliation-table">
            <thead className="text-xs uppercase text-stone-500">
              <tr>
                <th className="py-2 pr-2">When</th>
                <th className="px-2 py-2">Mode</th>
                <th className="px-2 py-2 text-right">Ledger</th>
                <th className="px-2 py-2 text-right">Node</th>
                <th className="px-2 py-2 text-right">Node − ledger</th>
                <th className="px-2 py-2 text-right">In − out</th>
                <th className="px-2 py-2 text-right">In − out − ledger</th>
                <th className="py-2 pl-2">Result</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {runs.map((run) => (
                <tr key={run.id} className={run.matched ? "" : "bg-red-50"} data-testid="reconciliation-row">
                  <td className="whitespace-nowrap py-2 pr-2 text-xs">{formatUtc(run.createdAt)}</td>
                  <td className="px-2">{run.mode}</td>
                  <td className="px-2 text-right">
                    <Amount msat={run.ledgerLightningMsat.toString()} />
                  </td>
                  <td className="px-2 text-right" title={run.backendError ?? run.backend}>
                    {run.backendBalanceMsat === null ? (
                      <span className="text-amber-700">unavailable</span>
                    ) : (
                      <Amount msat={run.backendBalanceMsat.toString()} />
                    )}
                  </td>
                  <td className="px-2 text-right">
                    <Difference msat={run.backendDifferenceMsat} />
                  </td>
                  <td className="px-2 text-right">
                    <Amount msat={run.flowMsat.toString()} />
                  </td>
                  <td className="px-2 text-right">
                    <Difference msat={run.flowDifferenceMsat} />
                  </td>
                  <td className="py-2 pl-2">
                    {run.matched ? <Badge tone="green">Matched</Badge> : <Badge tone="red">Difference</Badge>}
                    {run.backendError && <p className="max-w-xs break-words text-xs text-amber-700">{run.backendError}</p>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
