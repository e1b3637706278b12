import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { roleAllows } from "@/lib/tenants/permissions";
import { getKeyDetail, USAGE_DAYS } from "@/lib/keys/queries/key-detail";
import { formatRelative, formatUtc } from "@/lib/format/time";
import { setModeAction } from "@/app/dashboard/actions";
import { Card, EmptyState } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-class";
import { ConfirmButton } from "@/components/ui/action-button";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { RotateKeyButton } from "@/components/keys/key-dialogs";
import { KeyUsageChart } from "@/components/charts/key-usage-chart";
import { revokeKeyAction } from "../actions";

export const metadata: Metadata = { title: "API key" };

const STATE_TONE = { paid: "green", pending: "amber", expired: "stone" } as const;

export default async function KeyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { tenant, membership } = await requireTenant();
  const mode = await getDashboardMode();
  const key = await getKeyDetail(getDb(), tenant.id, mode, id);
  if (!key) notFound();
  const canEdit = roleAllows(membership.role, "keys:write");
  const totals = key.usage.reduce((sum, d) => ({ calls: sum.calls + d.calls, sats: sum.sats + d.sats }), { calls: 0, sats: 0 });

  return (
    <div className="space-y-6">
      <Link href="/dashboard/keys" className="text-sm text-stone-600 underline-offset-2 hover:underline">
        ← API keys
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight">{key.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <span className="break-all font-mono text-xs text-stone-700">{key.maskedKey}</span>
            <KeyStatusBadge status={key.status} expiresAt={key.expiresAt} />
            <Badge tone={key.mode === "live" ? "sky" : "amber"}>{key.mode}</Badge>
          </p>
        </div>
        {canEdit && (key.status === "active" || key.status === "rotating") && (
          <div className="flex flex-wrap gap-2">
            {key.status === "active" && <RotateKeyButton keyId={key.id} keyName={key.name} dashboardMode={mode} />}
            <ConfirmButton
              action={revokeKeyAction}
              fields={{ keyId: key.id }}
              label="Revoke"
              pendingLabel="Revoking…"
              title={`Revoke “${key.name}”?`}
              confirmLabel="Revoke key"
            >
              <p>
                <span className="font-mono">{key.maskedKey}</span> stops working within a few seconds: every call with it gets{" "}
                <code>401 api_key_revoked</code>. This cannot be undone.
              </p>
            </ConfirmButton>
          </div>
        )}
      </div>

      <Card>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-xs text-stone-500">Scopes</dt>
            <dd className="mt-0.5 flex flex-wrap gap-1">
              {key.scopes.map((s) => (
                <code key={s} className="rounded bg-stone-100 px-1 text-xs">
                  {s}
                </code>
              ))}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">Allowed client IPs</dt>
            <dd className="mt-0.5 break-all font-mono text-xs">{key.allowedIps.length ? key.allowedIps.join(", ") : "any"}</dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">Created</dt>
            <dd className="mt-0.5">{formatUtc(key.createdAt)}</dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">Last used</dt>
            <dd className="mt-0.5">{key.lastUsedAt ? `${formatUtc(key.lastUsedAt)} (${formatRelative(key.lastUsedAt)})` : "never"}</dd>
          </div>
          <div>
            <dt className="text-xs text-stone-500">{key.status === "revoked" ? "Revoked" : "Expires"}</dt>
            <dd className="mt-0.5" data-testid="key-expiry">
              {key.status === "revoked" ? formatUtc(key.revokedAt) : key.expiresAt ? formatUtc(key.expiresAt) : "never"}
            </dd>
          </div>
          {(key.rotatedFrom || key.replacedBy) && (
            <div>
              <dt className="text-xs text-stone-500">Rotation</dt>
              <dd className="mt-0.5 space-y-0.5">
                {key.rotatedFrom && (
                  <p>
                    Replaces{" "}
                    <Link href={`/dashboard/keys/${key.rotatedFrom.id}`} className="font-mono text-xs underline">
                      {key.rotatedFrom.maskedKey}
                    </Link>
                  </p>
                )}
                {key.replacedBy && (
                  <p>
                    Replaced by{" "}
                    <Link href={`/dashboard/keys/${key.replacedBy.id}`} className="font-mono text-xs underline">
                      {key.replacedBy.maskedKey}
                    </Link>
                  </p>
                )}
              </dd>
            </div>
          )}
        </dl>
      </Card>

      {!key.inMode ? (
        <Card>
          <EmptyState title={`This is a ${key.mode} key`}>
            <p>
              The dashboard is showing {mode} data. Switch to {key.mode} mode to see this key’s calls and sats.
            </p>
            <form action={setModeAction} className="mt-4">
              <input type="hidden" name="mode" value={key.mode} />
              <button type="submit" className={buttonClass("secondary")}>
                Switch to {key.mode} mode
              </button>
            </form>
          </EmptyState>
        </Card>
      ) : (
        <>
          <Card
            title={`Usage, last ${USAGE_DAYS} days`}
            description={`${totals.calls.toLocaleString("en-US")} paid call${totals.calls === 1 ? "" : "s"}, ${totals.sats.toLocaleString("en-US")} sats (days in UTC).`}
          >
            {totals.calls === 0 ? (
              <EmptyState title="No paid calls yet">Calls your API makes with this key show up here once a payer pays.</EmptyState>
            ) : (
              <KeyUsageChart usage={key.usage} />
            )}
          </Card>
          <Card title="Recent calls" description="The latest invoices your API asked for with this key, and whether they were paid.">
            {key.recentCalls.length === 0 ? (
              <EmptyState title="No calls yet">
                Put this key in your API&apos;s <code>TOLLBOOTH_API_KEY</code>; every unpaid call then asks for an invoice, and it shows up
                here.
              </EmptyState>
            ) : (
              <ul className="divide-y divide-stone-100 text-sm" data-testid="recent-calls">
                {key.recentCalls.map((call) => (
                  <li
                    key={call.paymentHash}
                    className="grid grid-cols-[1fr_auto] items-center gap-x-3 gap-y-0.5 py-2 sm:grid-cols-[11rem_1fr_6rem_5rem]"
                  >
                    {/* Phone: endpoint and state, then time and amount; wider: one line. */}
                    <span className="min-w-0 truncate font-mono text-xs sm:col-start-2 sm:row-start-1" title={call.paymentHash}>
                      {call.endpoint}
                    </span>
                    <span className="text-right sm:col-start-4 sm:row-start-1">
                      <Badge tone={STATE_TONE[call.state]}>{call.state}</Badge>
                    </span>
                    <span className="text-xs text-stone-500 sm:col-start-1 sm:row-start-1">{formatUtc(call.createdAt)}</span>
                    <span className="text-right tabular-nums sm:col-start-3 sm:row-start-1">
                      {call.amountSats.toLocaleString("en-US")} sats
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
