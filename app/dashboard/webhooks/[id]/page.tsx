import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { roleAllows } from "@/lib/tenants/permissions";
import { formatRelative, formatUtc } from "@/lib/format/time";
import { endpointOrNull } from "@/lib/webhooks/lookup";
import { listDeliveries } from "@/lib/webhooks/queries";
import { Card, EmptyState } from "@/components/ui/card";
import { ActionButton, ConfirmButton } from "@/components/ui/action-button";
import { CursorPager } from "@/components/ui/cursor-pager";
import { RotateSecretButton } from "@/components/webhooks/webhook-dialogs";
import { TestEventForm } from "@/components/webhooks/test-event-form";
import { DeliveryStateBadge, EndpointStatusBadge } from "@/components/webhooks/webhook-badges";
import { deleteWebhookAction, redeliverAction, setWebhookEnabledAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

const PAGE_SIZE = 25;

export default async function WebhookEndpointPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const after = (await searchParams).after;
  const { tenant, membership } = await requireTenant();
  const scope = { tenantId: tenant.id, mode: await getDashboardMode() };
  const db = getDb();
  const endpoint = await endpointOrNull(db, scope, id);
  if (!endpoint) notFound();
  const startingAfter = typeof after === "string" ? after : null;
  const deliveries = await listDeliveries(db, scope, endpoint.id, { limit: PAGE_SIZE, startingAfter });
  const canEdit = roleAllows(membership.role, "webhooks:write");
  const graceUntil =
    endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() ? endpoint.previousSecretExpiresAt : null;
  const base = `/dashboard/webhooks/${endpoint.id}`;

  return (
    <div className="space-y-6">
      <Link href="/dashboard/webhooks" className="text-sm text-stone-600 underline-offset-2 hover:underline">
        ← Webhooks
      </Link>
      <div className="space-y-2">
        <h1 className="break-all font-mono text-lg font-semibold sm:text-xl">{endpoint.url}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-stone-600">
          <EndpointStatusBadge enabled={endpoint.enabled} failingSince={endpoint.failingSince} />
          {endpoint.description && <span>{endpoint.description}</span>}
        </p>
        {!endpoint.enabled && endpoint.disabledReason && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            Disabled {endpoint.disabledAt ? formatUtc(endpoint.disabledAt) : ""}: {endpoint.disabledReason}
          </p>
        )}
      </div>

      <Card title="Endpoint">
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-stone-500">Events</dt>
          <dd className="flex flex-wrap gap-1">
            {endpoint.events.map((type) => (
              <code key={type} className="rounded bg-stone-100 px-1.5 py-0.5 text-xs">
                {type}
              </code>
            ))}
          </dd>
          <dt className="text-stone-500">Signing secret</dt>
          <dd>
            Shown once, when created or rotated.
            {graceUntil && (
              <span className="block text-amber-800" data-testid="secret-grace">
                Rotated: the old secret also signs until {formatUtc(graceUntil)}.
              </span>
            )}
          </dd>
          <dt className="text-stone-500">Failing since</dt>
          <dd>{endpoint.failingSince ? `${formatUtc(endpoint.failingSince)} (${formatRelative(endpoint.failingSince)})` : "—"}</dd>
          <dt className="text-stone-500">Added</dt>
          <dd>{formatUtc(endpoint.createdAt)}</dd>
        </dl>
        {canEdit && (
          <div className="mt-4 flex flex-wrap items-center gap-2 border-t border-stone-100 pt-4">
            {endpoint.enabled && <TestEventForm endpointId={endpoint.id} events={endpoint.events} />}
            <RotateSecretButton endpointId={endpoint.id} />
            <ActionButton
              action={setWebhookEnabledAction}
              fields={{ endpointId: endpoint.id, enabled: String(!endpoint.enabled) }}
              label={endpoint.enabled ? "Disable" : "Enable"}
              pendingLabel={endpoint.enabled ? "Disabling…" : "Enabling…"}
            />
            <ConfirmButton
              action={deleteWebhookAction}
              fields={{ endpointId: endpoint.id }}
              label="Delete"
              pendingLabel="Deleting…"
              title="Delete this endpoint?"
              confirmLabel="Delete endpoint"
            >
              <p>No more events go to it, and its delivery history is deleted with it. This cannot be undone.</p>
            </ConfirmButton>
          </div>
        )}
      </Card>

      <Card
        title="Deliveries"
        description="Newest first. Each delivery is one event to this endpoint; open one for every attempt's request and response."
      >
        {deliveries.data.length === 0 ? (
          <EmptyState title="No deliveries yet">{canEdit && endpoint.enabled ? "Send a test event to see one here." : null}</EmptyState>
        ) : (
          <ul className="divide-y divide-stone-100" data-testid="webhook-deliveries">
            {deliveries.data.map((delivery) => {
              const last = delivery.attemptLog[0];
              return (
                <li
                  key={delivery.id}
                  className="flex flex-wrap items-center justify-between gap-2 py-3 first:pt-0 last:pb-0"
                  data-testid="webhook-delivery"
                >
                  <div className="min-w-0 space-y-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <DeliveryStateBadge state={delivery.state} />
                      <Link href={`${base}/deliveries/${delivery.id}`} className="font-mono text-sm underline-offset-2 hover:underline">
                        {delivery.event.type}
                      </Link>
                    </p>
                    <p className="text-xs text-stone-500">
                      <span title={formatUtc(delivery.createdAt)}>{formatRelative(delivery.createdAt)}</span>
                      {" · "}
                      {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
                      {last?.responseStatus != null && <> · HTTP {last.responseStatus}</>}
                      {last?.durationMs != null && <> · {last.durationMs} ms</>}
                      {delivery.state === "retrying" && delivery.nextAttemptAt && <> · next try {formatRelative(delivery.nextAttemptAt)}</>}
                    </p>
                    {delivery.lastError && <p className="break-all text-xs text-red-700">{delivery.lastError}</p>}
                  </div>
                  {canEdit && (
                    <ActionButton action={redeliverAction} fields={{ deliveryId: delivery.id }} label="Redeliver" pendingLabel="Queuing…" />
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <CursorPager
          firstHref={base}
          nextHref={deliveries.nextCursor ? `${base}?after=${encodeURIComponent(deliveries.nextCursor)}` : null}
          onFirstPage={!startingAfter}
        />
      </Card>
    </div>
  );
}
