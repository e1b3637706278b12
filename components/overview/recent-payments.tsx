"use client";
// The 20 most recent payments, arriving live: polls /dashboard/live every few seconds while
// the tab is visible. A new payment is highlighted, and the page refreshes so the totals,
// charts and funnel move with it.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Amount } from "@/components/ui/amount";
import { EmptyState } from "@/components/ui/card";
import { formatUtc } from "@/lib/format/time";
import type { PaymentRow } from "@/lib/stats/types";

const POLL_MS = 4000;

export function RecentPayments({ initial, emptyHint }: { initial: PaymentRow[]; emptyHint: React.ReactNode }) {
  const router = useRouter();
  const [rows, setRows] = useState(initial);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [live, setLive] = useState(true);
  const known = useRef(new Set(initial.map((r) => r.paymentHash)));

  // A server refresh (after a test call, say) brings new initial rows.
  useEffect(() => {
    setRows(initial);
    for (const row of initial) known.current.add(row.paymentHash);
  }, [initial]);

  useEffect(() => {
    let stopped = false;
    async function poll() {
      if (document.visibilityState !== "visible") return;
      try {
        const response = await fetch("/dashboard/live", { cache: "no-store", headers: { accept: "application/json" } });
        if (!response.ok) {
          if (response.status === 401) stopped = true;
          setLive(false);
          return;
        }
        const { recent } = (await response.json()) as { recent: PaymentRow[] };
        if (stopped) return;
        setLive(true);
        const arrived = recent.filter((r) => !known.current.has(r.paymentHash)).map((r) => r.paymentHash);
        if (arrived.length === 0) return;
        for (const hash of arrived) known.current.add(hash);
        setRows(recent);
        setFresh(new Set(arrived));
        router.refresh();
      } catch {
        setLive(false);
      }
    }
    const timer = setInterval(() => {
      if (!stopped) void poll();
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [router]);

  return (
    <div className="space-y-3">
      <p className="flex items-center gap-2 text-xs text-stone-500" data-testid="live-indicator">
        <span aria-hidden className={`size-2 rounded-full ${live ? "animate-pulse bg-emerald-500" : "bg-stone-300"}`} />
        {live ? "Live: new payments appear here without a reload." : "Reconnecting…"}
      </p>
      {rows.length === 0 ? (
        <EmptyState title="No payments yet">{emptyHint}</EmptyState>
      ) : (
        <ul className="divide-y divide-stone-100" data-testid="recent-payments">
          {rows.map((row) => (
            <li
              key={row.paymentHash}
              className={`flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5 text-sm transition-colors ${fresh.has(row.paymentHash) ? "bg-amber-50" : ""}`}
            >
              <code className="min-w-0 flex-1 truncate text-xs text-stone-800" title={row.endpoint}>
                {row.endpoint}
              </code>
              <Amount msat={row.amountMsat} className="font-medium" />
              <span className="flex w-full flex-wrap items-center gap-2 text-xs text-stone-500">
                <time dateTime={row.settledAt}>{formatUtc(new Date(row.settledAt))}</time>
                <PaymentStatus row={row} />
                <a
                  href={`/dashboard/payments/${row.paymentHash}`}
                  className="font-mono text-stone-400 underline-offset-2 hover:underline"
                  title={row.paymentHash}
                >
                  {row.paymentHash.slice(0, 8)}
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PaymentStatus({ row }: { row: PaymentRow }) {
  if (row.failedCalls > 0) return <span className="rounded bg-red-50 px-1.5 text-red-700">handler failed ×{row.failedCalls}</span>;
  if (!row.redeemed) return <span className="rounded bg-stone-100 px-1.5">paid, not called</span>;
  return <span className="rounded bg-emerald-50 px-1.5 text-emerald-700">served</span>;
}
