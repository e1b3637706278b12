import { EmptyState } from "@/components/ui/card";
import type { FunnelRow } from "@/lib/stats/types";

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–");

/** Challenges issued → paid → redeemed, per endpoint: does a price scare callers away? */
export function Funnel({ rows }: { rows: FunnelRow[] }) {
  if (rows.length === 0) {
    return (
      <EmptyState title="No challenges yet">
        Each unpaid call to a protected endpoint issues a 402 challenge; they are counted here.
      </EmptyState>
    );
  }
  return (
    <ul className="space-y-4" data-testid="funnel">
      {rows.map((row) => (
        <li key={row.endpoint} className="space-y-1.5">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3">
            <code className="min-w-0 truncate text-xs font-medium text-stone-800" title={row.endpoint}>
              {row.endpoint}
            </code>
            <span className="text-xs text-stone-500">
              {percent(row.paid, row.challenges)} of challenges paid · {percent(row.redeemed, row.paid)} of payments used
            </span>
          </div>
          <div className="grid grid-cols-3 gap-1 text-xs">
            <FunnelBar label="Challenges" value={row.challenges} of={row.challenges} tone="bg-stone-300" />
            <FunnelBar label="Paid" value={row.paid} of={row.challenges} tone="bg-amber-500" />
            <FunnelBar label="Redeemed" value={row.redeemed} of={row.challenges} tone="bg-emerald-600" />
          </div>
        </li>
      ))}
    </ul>
  );
}

function FunnelBar({ label, value, of, tone }: { label: string; value: number; of: number; tone: string }) {
  return (
    <div className="min-w-0">
      <div className="h-2 overflow-hidden rounded-full bg-stone-100">
        <div className={`h-full rounded-full ${tone}`} style={{ width: of > 0 ? `${(value / of) * 100}%` : "0%" }} />
      </div>
      <p className="mt-1 truncate text-stone-600">
        <span className="font-semibold tabular-nums text-stone-900">{value.toLocaleString("en-US")}</span> {label.toLowerCase()}
      </p>
    </div>
  );
}
