import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { formatUtc } from "@/lib/format/time";
import { getPayerToken, type PrepaidMovementRow } from "@/lib/prepaid/queries/detail";
import { maskTokenId } from "@/lib/prepaid/queries/status";
import { ActionButton } from "@/components/ui/action-button";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { buttonClass } from "@/components/ui/button-class";
import { Card, EmptyState } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { PayerTokenStatusBadge } from "@/components/payer-tokens/status-badge";
import { PayerTokenUsageChart } from "@/components/payer-tokens/usage-chart";
import { setPayerTokenDisabledAction } from "../actions";

export const metadata: Metadata = { title: "Payer token" };

const KIND_LABELS: Record<PrepaidMovementRow["kind"], string> = { deposit: "Deposit", top_up: "Top-up", usage: "Usage", expiry: "Expiry" };

export default async function PayerTokenPage({ params }: { params: Promise<{ id: string }> }) {
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const { id } = await params;
  const found = await getPayerToken(getDb(), { tenantId: tenant.id, mode }, id);
  if (!found) notFound();
  const { token, history, usageByDay, historyTruncated } = found;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm">
            <Link href="/dashboard/payer-tokens" className="text-stone-600 underline-offset-2 hover:underline">
              Payer tokens
            </Link>
          </p>
          <h1 className="mt-1 flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
            <span className="font-mono text-xl" title={token.id}>
              {maskTokenId(token.id)}
            </span>
            <PayerTokenStatusBadge status={token.status} />
          </h1>
          <p className="mt-1 break-words text-sm text-stone-600">
            {token.endpoint} · created {formatUtc(new Date(token.createdAt))} · last used{" "}
            {token.lastUsedAt ? formatUtc(new Date(token.lastUsedAt)) : "never"} ·{" "}
            {token.expiresAt ? `expires ${formatUtc(new Date(token.expiresAt))}` : "never expires"}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <a href={`/dashboard/payer-tokens/${token.id}/history`} className={buttonClass("secondary")} download>
            Download history
          </a>
          {token.status !== "expired" && (
            <ActionButton
              action={setPayerTokenDisabledAction}
              fields={{ id: token.id, disabled: String(token.status !== "disabled") }}
              label={token.status === "disabled" ? "Enable" : "Disable token"}
              pendingLabel="Saving…"
              variant={token.status === "disabled" ? "secondary" : "danger"}
            />
          )}
        </div>
      </div>

      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Balance"
          testId="payer-token-balance"
          hint={
            token.reservedMsat !== "0" ? (
              <>
                of which <Amount msat={token.reservedMsat} /> reserved by calls in flight
              </>
            ) : undefined
          }
        >
          <Amount msat={token.balanceMsat} />
        </Stat>
        <Stat label="Deposited">
          <Amount msat={token.depositedMsat} />
        </Stat>
        <Stat label="Total spent" hint={`${token.charges} charged ${token.charges === 1 ? "call" : "calls"}`}>
          <Amount msat={token.spentMsat} />
        </Stat>
        <Stat label="Kept at expiry">
          <Amount msat={token.forfeitedMsat} />
        </Stat>
      </div>

      {usageByDay.length > 0 && (
        <Card>
          <h2 className="mb-2 text-sm font-semibold">Usage per day (UTC)</h2>
          <PayerTokenUsageChart usage={usageByDay} />
        </Card>
      )}

      <Card>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-sm font-semibold">History</h2>
          <AmountUnitToggle />
        </div>
        {history.length === 0 ? (
          <EmptyState title="No history yet">The deposit appears here once it is paid.</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="payer-token-history">
            {history.map((m) => (
              <li
                key={m.id}
                className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2.5"
                data-testid="payer-token-movement"
              >
                <div className="min-w-0 flex-1">
                  <span className="font-medium">{KIND_LABELS[m.kind]}</span>
                  {m.description && <span className="ml-2 break-words text-stone-600">{m.description}</span>}
                  <p className="text-xs text-stone-500">{formatUtc(new Date(m.createdAt))}</p>
                </div>
                <div className="text-right">
                  <Amount msat={m.amountMsat} signed className={BigInt(m.amountMsat) < 0n ? "text-stone-900" : "text-emerald-700"} />
                  <p className="text-xs text-stone-500">
                    balance <Amount msat={m.balanceAfterMsat} />
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
        {historyTruncated && <p className="mt-3 text-xs text-stone-500">The latest {history.length} movements; the CSV holds them all.</p>}
      </Card>
    </div>
  );
}
