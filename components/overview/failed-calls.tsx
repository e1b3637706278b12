import { EmptyState } from "@/components/ui/card";
import { formatUtc } from "@/lib/format/time";
import type { FailedCallRow } from "@/lib/stats/types";

/** Paid calls whose handler failed: the middleware gave the use back, so the payer retries free. */
export function FailedCalls({ rows }: { rows: FailedCallRow[] }) {
  if (rows.length === 0) {
    return (
      <EmptyState title="No failed paid calls">
        When your handler answers 5xx or throws on a paid call, the middleware gives the use back and the call is listed here.
      </EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-stone-100" data-testid="failed-calls">
      {rows.map((row) => (
        <li key={`${row.paymentHash}:${row.redemption}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 text-sm">
          <code className="min-w-0 flex-1 truncate text-xs text-stone-800">{row.endpoint}</code>
          <span className="rounded bg-red-50 px-1.5 text-xs font-medium text-red-700">{row.status ?? "error"}</span>
          <p className="w-full break-words text-xs text-stone-600">{row.reason ?? "no reason given"}</p>
          <p className="flex w-full flex-wrap gap-2 text-xs text-stone-500">
            <time dateTime={row.createdAt}>{formatUtc(new Date(row.createdAt))}</time>
            <a
              href={`/dashboard/payments/${row.paymentHash}`}
              className="font-mono text-stone-400 underline-offset-2 hover:underline"
              title={row.paymentHash}
            >
              {row.paymentHash.slice(0, 8)}
            </a>
          </p>
        </li>
      ))}
    </ul>
  );
}
