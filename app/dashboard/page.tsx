import type { Metadata } from "next";
import Link from "next/link";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { DailyCharts } from "@/components/charts/daily-chart";
import { EndpointChart } from "@/components/charts/endpoint-chart";
import { OnboardingChecklistCard } from "@/components/overview/checklist";
import { FailedCalls } from "@/components/overview/failed-calls";
import { Funnel } from "@/components/overview/funnel";
import { RecentPayments } from "@/components/overview/recent-payments";
import { TestCallPanel } from "@/components/overview/test-call";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getOverviewPage } from "@/lib/dashboard/overview";
import { getDb } from "@/lib/db/client";
import { satsToMsat } from "@/lib/stats/money";
import { platformFeeBps } from "@/lib/ledger/fee";
import { roleAllows } from "@/lib/tenants/permissions";

export const metadata: Metadata = { title: "Overview" };

/** "+50%", "−20%", "new" (nothing the week before) or "no change". */
function change(current: number, previous: number): { text: string; tone: "green" | "red" | "stone" } {
  if (previous === 0) return current > 0 ? { text: "new", tone: "green" } : { text: "no change", tone: "stone" };
  const percent = Math.round(((current - previous) / previous) * 100);
  if (percent === 0) return { text: "no change", tone: "stone" };
  return percent > 0 ? { text: `▲ ${percent}%`, tone: "green" } : { text: `▼ ${Math.abs(percent)}%`, tone: "red" };
}

export default async function OverviewPage() {
  const { user, tenant, membership } = await requireTenant();
  const mode = await getDashboardMode();
  const { stats, balance, funnel, failedCalls, checklist, endpoints } = await getOverviewPage(getDb(), { tenantId: tenant.id, mode });
  const today = new Date().toISOString().slice(0, 10);
  const hasPayments = stats.totalPayments > 0;
  const paymentsTrend = change(stats.trend.payments7d, stats.trend.payments7dPrev);
  const satsTrend = change(stats.trend.sats7d, stats.trend.sats7dPrev);

  const testCall =
    mode === "test" ? (
      <div id="test-call" className="scroll-mt-6">
        <Card
          title="Make a test call"
          description="Calls one of your endpoints through the real middleware and service: a 402 with an invoice, paid by the dev wallet, then a 200. It lands in your test-mode numbers."
        >
          <TestCallPanel endpoints={endpoints} canRun={roleAllows(membership.role, "test-calls:run")} />
        </Card>
      </div>
    ) : (
      <Card title="Test calls">
        <p className="text-sm text-stone-600">
          Test calls run in test mode, with simulated sats. Switch to test mode (the switch at the top) to make one; live mode shows only
          real payments.
        </p>
      </Card>
    );

  const noPayments = (
    <>
      {mode === "test" && endpoints.length === 0 ? (
        <>
          <Link href="/dashboard/endpoints" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            Add an endpoint
          </Link>
          , then make a test call or put the middleware in front of it.
        </>
      ) : mode === "test" ? (
        <>
          <Link href="#test-call" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            Make a test call
          </Link>{" "}
          or put the middleware in front of an endpoint.
        </>
      ) : (
        "No live payments yet. Live payments come from live keys (tb_live_…); test-mode payments are under the test-mode switch."
      )}
    </>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">{tenant.name}</h1>
            <span data-testid="mode-badge">
              {mode === "test" ? <Badge tone="amber">Test data</Badge> : <Badge tone="green">Live data</Badge>}
            </span>
          </div>
          <p className="mt-1 text-sm text-stone-600">
            Signed in as {user.email} · your role:{" "}
            <span className="font-medium" data-testid="role">
              {membership.role}
            </span>
          </p>
        </div>
        <AmountUnitToggle />
      </div>

      {!checklist.complete && <OnboardingChecklistCard checklist={checklist} />}
      {/* Always in this slot: finishing the checklist must not remount it and lose the steps shown. */}
      {testCall}

      <section aria-label="Totals" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Payments" testId="total-payments" hint="settled, all time">
          <span className="tabular-nums">{stats.totalPayments.toLocaleString("en-US")}</span>
        </Stat>
        <Stat label="Total" testId="total-sats" hint="paid by callers">
          <Amount msat={stats.totalMsat} />
        </Stat>
        <Stat label="Platform fee" testId="platform-fee" hint={`${platformFeeBps() / 100}% per payment`}>
          <Amount msat={stats.platformFeeMsat} />
        </Stat>
        <Stat label="Net to you" testId="net" hint="total minus fee">
          <Amount msat={stats.netMsat} />
        </Stat>
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Balance" description={tenant.lightningAddress ? `Payouts go to ${tenant.lightningAddress}.` : undefined}>
          <dl className="grid gap-2 text-sm sm:grid-cols-3 sm:gap-3">
            <div className="flex min-w-0 items-baseline justify-between gap-3 sm:block" data-testid="balance-available">
              <dt className="text-xs text-stone-500">Available</dt>
              <dd className="min-w-0 break-words text-right font-semibold sm:mt-0.5 sm:text-left">
                <Amount msat={balance.availableMsat.toString()} />
              </dd>
            </div>
            <div className="flex min-w-0 items-baseline justify-between gap-3 sm:block" data-testid="balance-pending">
              <dt className="text-xs text-stone-500">Pending payout</dt>
              <dd className="min-w-0 break-words text-right font-semibold sm:mt-0.5 sm:text-left">
                <Amount msat={balance.pendingMsat.toString()} />
              </dd>
            </div>
            <div className="flex min-w-0 items-baseline justify-between gap-3 sm:block" data-testid="balance-paid-out">
              <dt className="text-xs text-stone-500">Paid out</dt>
              <dd className="min-w-0 break-words text-right font-semibold sm:mt-0.5 sm:text-left">
                <Amount msat={balance.paidOutMsat.toString()} />
              </dd>
            </div>
          </dl>
          {!tenant.lightningAddress && (
            <p className="mt-3 text-sm text-stone-600">
              <Link href="/dashboard/settings#lightning-address" className="font-medium text-brand-700 underline-offset-2 hover:underline">
                Set your Lightning address
              </Link>{" "}
              so payouts have somewhere to go.
            </p>
          )}
        </Card>
        <Card title="Last 7 days" description="Against the 7 days before.">
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <div className="min-w-0" data-testid="trend-payments">
              <dt className="text-xs text-stone-500">Payments</dt>
              <dd className="mt-0.5 flex flex-wrap items-baseline gap-2">
                <span className="text-lg font-semibold tabular-nums">{stats.trend.payments7d.toLocaleString("en-US")}</span>
                <Badge tone={paymentsTrend.tone}>{paymentsTrend.text}</Badge>
              </dd>
              <dd className="text-xs text-stone-500">{stats.trend.payments7dPrev.toLocaleString("en-US")} before</dd>
            </div>
            <div className="min-w-0" data-testid="trend-sats">
              <dt className="text-xs text-stone-500">Sats</dt>
              <dd className="mt-0.5 flex flex-wrap items-baseline gap-2">
                <Amount msat={satsToMsat(stats.trend.sats7d).toString()} className="text-lg font-semibold" />
                <Badge tone={satsTrend.tone}>{satsTrend.text}</Badge>
              </dd>
              <dd className="text-xs text-stone-500">
                <Amount msat={satsToMsat(stats.trend.sats7dPrev).toString()} /> before
              </dd>
            </div>
          </dl>
        </Card>
      </div>

      <Card title="Payments and sats per day">
        {hasPayments ? (
          <DailyCharts byDay={stats.byDay} today={today} />
        ) : (
          <EmptyState title="Nothing to chart yet">{noPayments}</EmptyState>
        )}
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div id="recent-payments" className="min-w-0 scroll-mt-6">
          <Card title="Recent payments" description="The 20 most recent.">
            <RecentPayments initial={stats.recent} emptyHint={noPayments} />
          </Card>
        </div>
        <Card title="Sats by endpoint">
          {hasPayments ? (
            <EndpointChart byEndpoint={stats.byEndpoint} />
          ) : (
            <EmptyState title="No endpoint has been paid yet">{noPayments}</EmptyState>
          )}
        </Card>
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Funnel per endpoint" description="Challenges issued → paid → redeemed: does a price scare callers away?">
          <Funnel rows={funnel} />
        </Card>
        <Card title="Paid calls whose handler failed" description="The use was given back, so the payer can retry without paying again.">
          <FailedCalls rows={failedCalls} />
        </Card>
      </div>
    </div>
  );
}
