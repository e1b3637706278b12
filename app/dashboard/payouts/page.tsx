import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatMsat } from "@/lib/format/amount";
import { formatUtc } from "@/lib/format/time";
import { payoutHoldUntil } from "@/lib/payouts/hold";
import { listPayouts } from "@/lib/payouts/queries/list";
import { getBalance } from "@/lib/stats";
import { decodeCursor } from "@/lib/stats/cursor";
import { roleAllows } from "@/lib/tenants/permissions";
import { PayOutNowForm, PayoutSettingsForm } from "@/components/payouts/payout-forms";
import { PayoutHistory } from "@/components/payouts/payout-history";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { Card, EmptyState } from "@/components/ui/card";
import { CursorPager } from "@/components/ui/cursor-pager";
import { FormError } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";

export const metadata: Metadata = { title: "Payouts" };

const PAGE_SIZE = 25;

function readCursor(value: string | string[] | undefined): { cursor?: string; problem?: string } {
  const cursor = Array.isArray(value) ? value[0] : value;
  if (!cursor) return {};
  try {
    decodeCursor(cursor);
    return { cursor };
  } catch (error) {
    return { problem: error instanceof AppError ? `${error.message} Showing the newest payouts.` : undefined };
  }
}

export default async function PayoutsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant, membership } = await requireTenant();
  const mode = await getDashboardMode();
  const { cursor, problem } = readCursor((await searchParams).cursor);
  const db = getDb();
  const [balance, page, inProgressCount] = await Promise.all([
    getBalance(db, { tenantId: tenant.id, mode }),
    listPayouts(db, { tenantId: tenant.id, mode, cursor, limit: PAGE_SIZE }),
    db.payout.count({ where: { tenantId: tenant.id, mode, state: { in: ["pending", "sending"] } } }),
  ]);
  const canEdit = roleAllows(membership.role, "settings:write");
  const heldUntil = payoutHoldUntil(tenant);
  const inProgress = inProgressCount > 0;
  const payableMsat = (balance.availableMsat / 1000n) * 1000n;
  const threshold = formatMsat(tenant.payoutThresholdMsat);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Payouts</h1>
          <p className="mt-1 text-sm text-stone-600">
            Your <strong>{mode}</strong>-mode balance, paid to your Lightning address by LNURL-pay.
            {mode === "test" && " Test mode pays through the simulated node to the simulated LNURL-pay server: no real sats move."}
          </p>
        </div>
        <AmountUnitToggle />
      </div>
      <FormError message={problem} />

      {heldUntil && (
        <p
          role="status"
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="payout-hold"
        >
          Payouts are on hold until <strong>{formatUtc(heldUntil)}</strong>: the Lightning address changed recently, and payouts to a new
          address wait in case it was not you. If it was not, change your password and set the address back.
        </p>
      )}

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Stat label="Available" testId="payouts-available" hint="Paid to you at the threshold, or now">
          <Amount msat={balance.availableMsat.toString()} />
        </Stat>
        <Stat label="Pending" testId="payouts-pending" hint="Set aside for a payout in progress">
          <Amount msat={balance.pendingMsat.toString()} />
        </Stat>
        <Stat label="Paid out" testId="payouts-paid-out" hint="Sent to your Lightning address">
          <Amount msat={balance.paidOutMsat.toString()} />
        </Stat>
      </div>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <Card
          title="Pay out now"
          description={
            tenant.lightningAddress ? (
              <>
                To <strong className="break-all">{tenant.lightningAddress}</strong>. Routing fees are on us.
              </>
            ) : (
              <>
                Set a Lightning address in{" "}
                <Link href="/dashboard/settings#lightning-address" className="underline">
                  Settings
                </Link>{" "}
                first: payouts go there.
              </>
            )
          }
        >
          <PayOutNowForm
            idempotencyKey={randomUUID()}
            disabled={!canEdit || !tenant.lightningAddress || payableMsat <= 0n || inProgress || heldUntil !== null}
            label={payableMsat > 0n ? `Pay out ${formatMsat(payableMsat)} now` : "Nothing to pay out yet"}
          />
          {inProgress && <p className="mt-2 text-xs text-stone-500">A payout is in progress; the next can start when it is done.</p>}
        </Card>
        <Card
          title="Automatic payouts"
          description={
            tenant.autoPayouts
              ? `Now: on, at ${threshold}. An hourly sweep catches anything missed.`
              : "Now: off. Payouts go out only when you press Pay out now."
          }
        >
          <PayoutSettingsForm
            thresholdSats={Number(tenant.payoutThresholdMsat / 1000n)}
            autoPayouts={tenant.autoPayouts}
            canEdit={canEdit}
          />
        </Card>
      </div>

      <Card title="History">
        {page.data.length === 0 ? (
          cursor ? (
            <EmptyState title="No older payouts">That was the first one.</EmptyState>
          ) : (
            <EmptyState title={`No ${mode}-mode payouts yet`}>
              When your available balance reaches {threshold}, it is paid to your Lightning address within a minute.
            </EmptyState>
          )
        ) : (
          <PayoutHistory payouts={page.data} />
        )}
        <CursorPager
          firstHref="/dashboard/payouts"
          nextHref={page.nextCursor ? `/dashboard/payouts?cursor=${encodeURIComponent(page.nextCursor)}` : null}
          onFirstPage={!cursor}
        />
      </Card>
    </div>
  );
}
