import type { Metadata } from "next";
import Link from "next/link";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import type { SearchParams } from "@/lib/dashboard/payment-filters";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatUtc } from "@/lib/format/time";
import { listBalanceHistory } from "@/lib/stats";
import { decodeCursor } from "@/lib/stats/cursor";
import type { BalanceMovement, BalanceMovementKind } from "@/lib/stats/types";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { FormError } from "@/components/ui/field";
import { ShortHash } from "@/components/ui/hash";

export const metadata: Metadata = { title: "Balance history" };

const PAGE_SIZE = 50;

const KINDS: Record<BalanceMovementKind, { label: string; tone: BadgeTone }> = {
  payment: { label: "Payment", tone: "green" },
  payout: { label: "Payout", tone: "sky" },
  payout_returned: { label: "Payout returned", tone: "amber" },
  reversal: { label: "Reversal", tone: "red" },
  adjustment: { label: "Adjustment", tone: "stone" },
};

/** A cursor from the URL, or none (and why) when it is not one of ours. */
function readCursor(params: SearchParams): { cursor?: string; problem?: string } {
  const cursor = Array.isArray(params.cursor) ? params.cursor[0] : params.cursor;
  if (!cursor) return {};
  try {
    decodeCursor(cursor);
    return { cursor };
  } catch (error) {
    return { problem: error instanceof AppError ? `${error.message} Showing the newest movements.` : undefined };
  }
}

export default async function BalancePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const { cursor, problem } = readCursor(await searchParams);
  const page = await listBalanceHistory(getDb(), { tenantId: tenant.id, mode, cursor, limit: PAGE_SIZE });
  const newest = !cursor ? page.data[0] : undefined;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Balance history</h1>
          <p className="mt-1 text-sm text-stone-600">
            Every movement of your available <strong>{mode}</strong>-mode balance, newest first, from the ledger. Times are UTC.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <AmountUnitToggle />
          <a href="/dashboard/balance/export" className={buttonClass("secondary")} download>
            Download CSV
          </a>
        </div>
      </div>
      <FormError message={problem} />

      {!cursor && (
        <Card>
          <p className="text-sm text-stone-600">Available now</p>
          <p className="mt-1 text-3xl font-semibold tracking-tight" data-testid="available-balance">
            <Amount msat={newest?.balanceMsat ?? "0"} />
          </p>
          <p className="mt-1 text-xs text-stone-500">Payments net of the platform fee, less payouts. Hover an amount for its msat.</p>
        </Card>
      )}

      <Card>
        {page.data.length === 0 ? (
          cursor ? (
            <EmptyState title="No older movements">That was the first one.</EmptyState>
          ) : (
            <EmptyState title={`No ${mode}-mode movements yet`}>
              Each paid call adds its amount less the platform fee here; payouts take it out.{" "}
              <Link href="/dashboard/payments" className="text-stone-700 underline">
                See payments
              </Link>
              .
            </EmptyState>
          )
        ) : (
          <>
            <div className="hidden overflow-x-auto md:block">
              <table className="w-full text-left text-sm" data-testid="balance-table">
                <thead className="text-xs uppercase text-stone-500">
                  <tr>
                    <th className="py-2 pr-2">When</th>
                    <th className="px-2 py-2">Movement</th>
                    <th className="px-2 py-2">Reference</th>
                    <th className="px-2 py-2 text-right">Amount</th>
                    <th className="px-2 py-2 text-right">Fee taken</th>
                    <th className="py-2 pl-2 text-right">Balance after</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-100">
                  {page.data.map((row) => (
                    <tr key={row.entryId} data-testid="balance-row">
                      <td className="whitespace-nowrap py-2.5 pr-2 text-xs">{formatUtc(new Date(row.createdAt))}</td>
                      <td className="px-2">
                        <KindBadge kind={row.kind} />
                      </td>
                      <td className="px-2">
                        <Reference row={row} />
                      </td>
                      <td className="px-2 text-right">
                        <Signed msat={row.amountMsat} />
                      </td>
                      <td className="px-2 text-right text-stone-500">{row.feeMsat === "0" ? "—" : <Amount msat={row.feeMsat} />}</td>
                      <td className="py-2.5 pl-2 text-right font-medium">
                        <Amount msat={row.balanceMsat} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-stone-100 md:hidden" data-testid="balance-cards">
              {page.data.map((row) => (
                <li key={row.entryId} className="space-y-1 py-3 first:pt-0">
                  <div className="flex items-center justify-between gap-2">
                    <KindBadge kind={row.kind} />
                    <Signed msat={row.amountMsat} />
                  </div>
                  <div className="flex items-center justify-between gap-2 text-xs text-stone-600">
                    <span className="min-w-0 truncate">
                      <Reference row={row} />
                    </span>
                    <span className="whitespace-nowrap">
                      balance <Amount msat={row.balanceMsat} className="font-medium text-stone-900" />
                    </span>
                  </div>
                  <div className="flex items-center justify-between gap-2 text-xs text-stone-500">
                    <span>{formatUtc(new Date(row.createdAt))}</span>
                    {row.feeMsat !== "0" && (
                      <span>
                        fee <Amount msat={row.feeMsat} />
                      </span>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
        <CursorPager
          firstHref="/dashboard/balance"
          nextHref={page.nextCursor ? `/dashboard/balance?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          onFirstPage={!cursor}
        />
      </Card>
    </div>
  );
}

function KindBadge({ kind }: { kind: BalanceMovementKind }) {
  return <Badge tone={KINDS[kind].tone}>{KINDS[kind].label}</Badge>;
}

function Signed({ msat }: { msat: string }) {
  return <Amount msat={msat} signed className={msat.startsWith("-") ? "text-red-700" : "text-emerald-700"} />;
}

function Reference({ row }: { row: BalanceMovement }) {
  if (row.paymentHash)
    return (
      <Link href={`/dashboard/payments/${row.paymentHash}`} className="underline-offset-2 hover:underline">
        <ShortHash value={row.paymentHash} />
      </Link>
    );
  return <span className="text-stone-600">{row.memo ?? row.entryKind}</span>;
}
