// Operator console: recent payouts across tenants, or only the failed and retrying ones,
// with their reasons. A server component; mount it in /admin.
import { Amount } from "@/components/ui/amount";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { formatUtc } from "@/lib/format/time";
import { listOperatorPayouts } from "@/lib/payouts/queries/operator";

const TONES: Record<string, BadgeTone> = { pending: "amber", sending: "sky", succeeded: "green", failed: "red" };

export async function PayoutsPanel({ problemsOnly = false, limit = 50 }: { problemsOnly?: boolean; limit?: number }) {
  const payouts = await listOperatorPayouts(getDb(), { problemsOnly, limit });
  return (
    <Card
      title={problemsOnly ? "Failed and retrying payouts" : "Recent payouts"}
      description="Across all workspaces, newest first. Failed payouts returned their money to the owner's available balance."
    >
      {payouts.length === 0 ? (
        <EmptyState title={problemsOnly ? "No failed payouts" : "No payouts yet"} />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="operator-payouts-table">
            <thead className="text-xs uppercase text-stone-500">
              <tr>
                <th className="py-2 pr-2">When</th>
                <th className="px-2 py-2">Workspace</th>
                <th className="px-2 py-2">Mode</th>
                <th className="px-2 py-2 text-right">Amount</th>
                <th className="px-2 py-2">To</th>
                <th className="px-2 py-2">Status</th>
                <th className="py-2 pl-2">Reason</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {payouts.map((payout) => (
                <tr key={payout.id} className="align-top">
                  <td className="whitespace-nowrap py-2 pr-2 text-xs">{formatUtc(payout.createdAt)}</td>
                  <td className="px-2">{payout.tenantName}</td>
                  <td className="px-2">{payout.mode}</td>
                  <td className="px-2 text-right">
                    <Amount msat={payout.amountMsat.toString()} />
                  </td>
                  <td className="max-w-[12rem] truncate px-2" title={payout.destination}>
                    {payout.destination}
                  </td>
                  <td className="px-2">
                    <Badge tone={TONES[payout.state]}>
                      {payout.state === "pending" && payout.attempts > 0 ? "retrying" : payout.state}
                    </Badge>
                    <span className="block text-xs text-stone-500">attempt {payout.attempts}</span>
                  </td>
                  <td className="max-w-xs break-words py-2 pl-2 text-xs text-red-700">{payout.failureReason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
