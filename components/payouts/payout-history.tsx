// The payout history: a table on wide screens, cards on a phone. Failures show their
// reason; a payout still retrying shows why its last attempt failed.
import { Amount } from "@/components/ui/amount";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Payout } from "@/lib/db/generated/client";
import { formatUtc } from "@/lib/format/time";

const STATES: Record<Payout["state"], { label: string; tone: BadgeTone }> = {
  pending: { label: "Pending", tone: "amber" },
  sending: { label: "Sending", tone: "sky" },
  succeeded: { label: "Succeeded", tone: "green" },
  failed: { label: "Failed", tone: "red" },
};

const TRIGGERS: Record<Payout["trigger"], string> = {
  threshold: "threshold",
  sweep: "hourly sweep",
  manual: "pay out now",
  api: "API",
};

/** Pending after a failed attempt: retrying (with the reason and the next try). */
const isRetrying = (payout: Payout) => payout.state === "pending" && payout.attempts > 0;

function StateBadge({ payout }: { payout: Payout }) {
  return <Badge tone={STATES[payout.state].tone}>{isRetrying(payout) ? "Retrying" : STATES[payout.state].label}</Badge>;
}

function Reason({ payout }: { payout: Payout }) {
  if (!payout.failureReason || !(payout.state === "failed" || isRetrying(payout))) return null;
  return (
    <p className="max-w-xs break-words text-xs text-red-700" data-testid="payout-failure">
      {payout.failureReason}
      {isRetrying(payout) && <span className="text-stone-500"> · next try {formatUtc(payout.nextAttemptAt)}</span>}
    </p>
  );
}

export function PayoutHistory({ payouts }: { payouts: Payout[] }) {
  return (
    <>
      <div className="hidden overflow-x-auto md:block">
        <table className="w-full text-left text-sm" data-testid="payouts-table">
          <thead className="text-xs uppercase text-stone-500">
            <tr>
              <th className="py-2 pr-2">When</th>
              <th className="px-2 py-2 text-right">Amount</th>
              <th className="px-2 py-2 text-right">Routing fee</th>
              <th className="px-2 py-2">To</th>
              <th className="px-2 py-2">Status</th>
              <th className="py-2 pl-2">Trigger</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {payouts.map((payout) => (
              <tr key={payout.id} data-testid="payout-row" className="align-top">
                <td className="whitespace-nowrap py-2.5 pr-2 text-xs">{formatUtc(payout.createdAt)}</td>
                <td className="px-2 py-2.5 text-right font-medium">
                  <Amount msat={payout.amountMsat.toString()} />
                </td>
                <td className="px-2 py-2.5 text-right text-stone-500">
                  {payout.feeMsat === null ? "—" : <Amount msat={payout.feeMsat.toString()} />}
                </td>
                <td className="max-w-[14rem] truncate px-2 py-2.5" title={payout.destination}>
                  {payout.destination}
                </td>
                <td className="space-y-0.5 px-2 py-2.5">
                  <StateBadge payout={payout} />
                  <Reason payout={payout} />
                </td>
                <td className="py-2.5 pl-2 text-xs text-stone-500">{TRIGGERS[payout.trigger]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="divide-y divide-stone-100 md:hidden" data-testid="payouts-cards">
        {payouts.map((payout) => (
          <li key={payout.id} className="space-y-1 py-3 first:pt-0">
            <div className="flex items-center justify-between gap-2">
              <Amount msat={payout.amountMsat.toString()} className="font-medium" />
              <StateBadge payout={payout} />
            </div>
            <p className="truncate text-xs text-stone-600">to {payout.destination}</p>
            <Reason payout={payout} />
            <div className="flex items-center justify-between gap-2 text-xs text-stone-500">
              <span>{formatUtc(payout.createdAt)}</span>
              <span>
                {payout.feeMsat !== null && (
                  <>
                    fee <Amount msat={payout.feeMsat.toString()} /> ·{" "}
                  </>
                )}
                {TRIGGERS[payout.trigger]}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
