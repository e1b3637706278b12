import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { roleAllows } from "@/lib/tenants/permissions";
import { formatRelative, formatUtc } from "@/lib/format/time";
import { autoDisabled, listWebhookEndpoints } from "@/lib/webhooks/queries";
import { Card, EmptyState } from "@/components/ui/card";
import { AddWebhookButton } from "@/components/webhooks/webhook-dialogs";
import { EndpointStatusBadge } from "@/components/webhooks/webhook-badges";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const { tenant, membership } = await requireTenant();
  const mode = await getDashboardMode();
  const endpoints = await listWebhookEndpoints(getDb(), { tenantId: tenant.id, mode });
  const canEdit = roleAllows(membership.role, "webhooks:write");
  const switchedOff = autoDisabled(endpoints);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className="mt-1 text-sm text-stone-600">
            Showing <strong>{mode}</strong> endpoints: they receive {mode}-mode events, signed with <code>Tollbooth-Signature</code> and
            retried for up to three days.
          </p>
        </div>
        {canEdit && endpoints.length > 0 && <AddWebhookButton mode={mode} />}
      </div>
      {switchedOff.map((endpoint) => (
        <div
          key={endpoint.id}
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
          data-testid="auto-disabled-banner"
        >
          <p className="font-medium">
            Tollbooth disabled <span className="break-all font-mono text-xs">{endpoint.url}</span>
          </p>
          <p className="mt-1">
            {endpoint.disabledReason} Fix the receiver, then{" "}
            <Link href={`/dashboard/webhooks/${endpoint.id}`} className="underline">
              enable it again
            </Link>
            .
          </p>
        </div>
      ))}
      {!canEdit && (
        <p className="rounded-md border border-stone-200 bg-white px-3 py-2 text-sm text-stone-600">
          Your role ({membership.role}) can see webhooks but not add or change them.
        </p>
      )}
      <Card>
        {endpoints.length === 0 ? (
          <EmptyState title={`No ${mode} webhook endpoints yet`}>
            <p>Add a URL and Tollbooth tells it when payments settle, calls fail, payouts go out or keys near expiry.</p>
            {canEdit && (
              <div className="mt-4">
                <AddWebhookButton mode={mode} label="Add your first endpoint" />
              </div>
            )}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100" data-testid="webhook-endpoints">
            {endpoints.map((endpoint) => (
              <li key={endpoint.id} className="space-y-1 py-3 first:pt-0 last:pb-0">
                <div className="flex items-start justify-between gap-2">
                  <Link
                    href={`/dashboard/webhooks/${endpoint.id}`}
                    className="min-w-0 break-all font-mono text-sm underline-offset-2 hover:underline"
                  >
                    {endpoint.url}
                  </Link>
                  <EndpointStatusBadge enabled={endpoint.enabled} failingSince={endpoint.failingSince} />
                </div>
                {endpoint.description && <p className="text-sm text-stone-600">{endpoint.description}</p>}
                <p className="flex flex-wrap gap-1 text-xs text-stone-500">
                  {endpoint.events.map((type) => (
                    <code key={type} className="rounded bg-stone-100 px-1.5 py-0.5">
                      {type}
                    </code>
                  ))}
                  <span className="ml-1" title={formatUtc(endpoint.createdAt)}>
                    added {formatRelative(endpoint.createdAt)}
                  </span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
