import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatUtc } from "@/lib/format/time";
import type { KeyMode } from "@/lib/keys/api-keys";
import { accounts } from "@/lib/ledger/accounts";
import { getPayment } from "@/lib/stats";
import { paymentHashParamSchema } from "@/lib/stats/schemas";
import type { PaymentDetail } from "@/lib/stats/types";
import { CopyButton } from "@/components/marketing/copy-button";
import { PaymentStatus } from "@/components/payments/payment-status";
import { Amount, AmountUnitToggle } from "@/components/ui/amount";
import { Badge } from "@/components/ui/badge";
import { Card, EmptyState } from "@/components/ui/card";

export const metadata: Metadata = { title: "Payment" };

const COPY = "rounded border border-stone-300 bg-white px-2 py-0.5 text-xs font-medium text-stone-700 hover:bg-stone-100";
const when = (iso: string | null, empty = "—") => formatUtc(iso ? new Date(iso) : null, empty);

async function loadPayment(tenantId: string, mode: KeyMode, paymentHash: string): Promise<PaymentDetail> {
  if (!paymentHashParamSchema.safeParse({ paymentHash }).success) notFound();
  try {
    return await getPayment(getDb(), { tenantId, mode, paymentHash });
  } catch (error) {
    // Another workspace's payment, the other mode's, or none: the same "not found".
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

export default async function PaymentPage({ params }: { params: Promise<{ paymentHash: string }> }) {
  const { paymentHash } = await params;
  const { tenant } = await requireTenant();
  const mode = await getDashboardMode();
  const { payment, invoice, token, ledgerEntry, failedCalls } = await loadPayment(tenant.id, mode, paymentHash);

  return (
    <div className="space-y-6">
      <Link href="/dashboard/payments" className="text-sm text-stone-600 underline-offset-2 hover:underline">
        ← Payments
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">
            <Amount msat={payment.amountMsat} /> for {payment.endpoint}
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
            <span>Settled {when(payment.settledAt)}</span>
            <Badge tone={payment.mode === "live" ? "sky" : "amber"}>{payment.mode}</Badge>
            <PaymentStatus payment={payment} />
          </p>
        </div>
        <AmountUnitToggle />
      </div>

      <Card title="Payment">
        <dl className="grid gap-x-6 gap-y-3 text-sm grid-cols-[max-content_minmax(0,1fr)]">
          <Term label="Payment hash">
            <span className="flex min-w-0 items-start gap-2">
              <span className="min-w-0 break-all font-mono text-xs" data-testid="payment-hash">
                {payment.paymentHash}
              </span>
              <CopyButton text={payment.paymentHash} label="Copy payment hash" className={COPY} />
            </span>
          </Term>
          <Term label="Amount">
            <Amount msat={payment.amountMsat} />
          </Term>
          <Term label="Platform fee">
            <Amount msat={payment.feeMsat} /> <span className="text-stone-500">({invoice.feeBps / 100}% fixed on the invoice)</span>
          </Term>
          <Term label="Net to you">
            <Amount msat={payment.netMsat} className="font-medium" />
          </Term>
        </dl>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Invoice">
          <dl className="grid gap-x-6 gap-y-3 text-sm grid-cols-[max-content_minmax(0,1fr)]">
            <Term label="State">
              <Badge tone={invoice.state === "paid" ? "green" : "stone"}>{invoice.state}</Badge>
            </Term>
            <Term label="Created">{when(invoice.createdAt)}</Term>
            <Term label="Expires">{when(invoice.expiresAt)}</Term>
            <Term label="Settled">{when(invoice.settledAt)}</Term>
            <Term label="Description">{invoice.description}</Term>
            <Term label="Backend">{invoice.backend}</Term>
            <Term label="API key">
              {invoice.apiKeyId ? (
                <Link href={`/dashboard/keys/${invoice.apiKeyId}`} className="underline underline-offset-2">
                  The key that asked for it
                </Link>
              ) : (
                "—"
              )}
            </Term>
            <Term label="BOLT11">
              <span className="block max-h-24 overflow-y-auto break-all rounded bg-stone-50 p-2 font-mono text-xs" data-testid="bolt11">
                {invoice.bolt11}
              </span>
              <span className="mt-1 block">
                <CopyButton text={invoice.bolt11} label="Copy invoice" className={COPY} />
              </span>
            </Term>
          </dl>
        </Card>

        <Card title="Token" description="The L402 credential the payment bought.">
          {token ? (
            <dl className="grid gap-x-6 gap-y-3 text-sm grid-cols-[max-content_minmax(0,1fr)]">
              <Term label="Endpoint">{token.endpoint}</Term>
              <Term label="Uses">
                {token.usesAllowed === 0
                  ? `${token.usesConsumed} (unlimited until it expires)`
                  : `${token.usesConsumed} of ${token.usesAllowed}`}
              </Term>
              <Term label="Redemptions">
                {token.redemptionCount}
                {failedCalls.length > 0 && <span className="text-stone-500"> ({failedCalls.length} given back)</span>}
              </Term>
              <Term label="Valid until">{when(token.validUntil)}</Term>
              <Term label="Last redeemed">{when(token.lastRedeemedAt, "never")}</Term>
              {token.revokedAt && <Term label="Revoked">{when(token.revokedAt)}</Term>}
              <Term label="Token id">
                <span className="break-all font-mono text-xs">{token.tokenId}</span>
              </Term>
            </dl>
          ) : (
            <EmptyState title="No token on record">The invoice was paid, but its token is gone (revoked or cleaned up).</EmptyState>
          )}
        </Card>
      </div>

      <Card
        title="Ledger entry"
        description={
          <>
            <span className="break-all font-mono text-xs">{ledgerEntry.idempotencyKey}</span> · {ledgerEntry.kind} · posted{" "}
            {when(ledgerEntry.createdAt)}. Debits and credits balance to the msat.
          </>
        }
      >
        <table className="w-full table-fixed text-sm" data-testid="postings">
          <thead className="text-xs uppercase text-stone-500">
            <tr>
              <th className="py-2 pr-2 text-left">Account</th>
              <th className="w-24 px-2 py-2 text-right sm:w-32">Debit</th>
              <th className="w-24 py-2 pl-2 text-right sm:w-32">Credit</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {ledgerEntry.postings.map((posting) => {
              const debit = !posting.amountMsat.startsWith("-");
              const amount = debit ? posting.amountMsat : posting.amountMsat.slice(1);
              return (
                <tr key={posting.accountId} data-testid="posting">
                  <td className="py-2 pr-2 align-top">
                    <span className="block font-medium">{accountLabel(posting.accountId, mode, tenant.id)}</span>
                    <span className="block break-all font-mono text-xs text-stone-500">{posting.accountId}</span>
                  </td>
                  <td className="px-2 py-2 text-right align-top">{debit ? <Amount msat={amount} /> : null}</td>
                  <td className="py-2 pl-2 text-right align-top">{debit ? null : <Amount msat={amount} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>

      <Card
        title="Failed calls"
        description="Paid calls whose handler failed. The middleware reported each one and the use was given back."
      >
        {failedCalls.length === 0 ? (
          <EmptyState title="None">Every call made with this payment was served.</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="failed-calls">
            {failedCalls.map((call) => (
              <li key={call.redemption} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
                <span>
                  Redemption #{call.redemption} · {call.status ? `HTTP ${call.status}` : "threw"}
                  {call.reason && <span className="text-stone-600"> · {call.reason}</span>}
                </span>
                <span className="text-xs text-stone-500">released {when(call.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function Term({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-stone-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}

/** What each account of a settlement is, in the owner's words. */
function accountLabel(accountId: string, mode: KeyMode, tenantId: string): string {
  if (accountId === accounts.platformLightning(mode).id) return "Lightning holdings";
  if (accountId === accounts.tenantAvailable(mode, tenantId).id) return "Your share (available balance)";
  if (accountId === accounts.platformFees(mode).id) return "Platform fee";
  return "Account";
}
