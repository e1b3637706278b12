import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { requireTenant } from "@/lib/auth/session";
import { getDashboardMode } from "@/lib/dashboard/mode";
import { roleAllows } from "@/lib/tenants/permissions";
import { formatUtc } from "@/lib/format/time";
import { deliveryOrNull } from "@/lib/webhooks/lookup";
import { deliveryAttempts } from "@/lib/webhooks/queries";
import { Card, EmptyState } from "@/components/ui/card";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { DeliveryStateBadge } from "@/components/webhooks/webhook-badges";
import { redeliverAction } from "../../../actions";

export const metadata: Metadata = { title: "Webhook delivery" };

function Pre({ children, label }: { children: string; label: string }) {
  // A labelled region, so each block is announced (and found) by what it holds.
  return (
    <section aria-label={label}>
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded-md bg-stone-900 p-3 font-mono text-xs text-stone-100">
        {children}
      </pre>
    </section>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ id: string; deliveryId: string }> }) {
  const { id, deliveryId } = await params;
  const { tenant, membership } = await requireTenant();
  const scope = { tenantId: tenant.id, mode: await getDashboardMode() };
  const db = getDb();
  const delivery = await deliveryOrNull(db, scope, deliveryId);
  if (!delivery || delivery.endpointId !== id) notFound();
  const attempts = await deliveryAttempts(db, delivery.id);
  const canEdit = roleAllows(membership.role, "webhooks:write");

  return (
    <div className="space-y-6">
      <Link href={`/dashboard/webhooks/${id}`} className="text-sm text-stone-600 underline-offset-2 hover:underline">
        ← Endpoint
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 className="flex flex-wrap items-center gap-2 text-2xl font-semibold tracking-tight">
            <span className="font-mono text-xl">{delivery.event.type}</span> <DeliveryStateBadge state={delivery.state} />
          </h1>
          <p className="break-all text-sm text-stone-600">
            Event <code className="font-mono text-xs">{delivery.event.id}</code> to{" "}
            <span className="font-mono text-xs">{delivery.endpoint.url}</span>
          </p>
          <p className="text-sm text-stone-600">
            Created {formatUtc(delivery.createdAt)}
            {delivery.state === "retrying" && delivery.nextAttemptAt && <> · next attempt {formatUtc(delivery.nextAttemptAt)}</>}
          </p>
        </div>
        {canEdit && (
          <ActionButton action={redeliverAction} fields={{ deliveryId: delivery.id }} label="Redeliver" pendingLabel="Queuing…" />
        )}
      </div>
      {attempts.length === 0 ? (
        <Card>
          <EmptyState title="Not attempted yet">The worker sends it within seconds.</EmptyState>
        </Card>
      ) : (
        attempts.map((attempt) => (
          <Card key={attempt.id} title={`Attempt ${attempt.number}`}>
            <div className="space-y-4" data-testid="webhook-attempt">
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={attempt.succeeded ? "green" : attempt.succeeded === false ? "red" : "stone"}>
                  {attempt.responseStatus != null ? `HTTP ${attempt.responseStatus}` : attempt.succeeded === null ? "sending" : "no answer"}
                </Badge>
                {attempt.manual && <Badge tone="sky">manual</Badge>}
                <span className="text-stone-600">{formatUtc(attempt.createdAt)}</span>
                {attempt.durationMs != null && <span className="text-stone-600">{attempt.durationMs} ms</span>}
              </p>
              {attempt.error && attempt.error !== `HTTP ${attempt.responseStatus}` && (
                <p className="break-all text-sm text-red-700">{attempt.error}</p>
              )}
              <div className="space-y-1">
                <p className="text-sm font-medium">Request</p>
                <p className="break-all font-mono text-xs text-stone-600">POST {attempt.requestUrl}</p>
                <Pre label="Request headers">
                  {Object.entries(attempt.requestHeaders as Record<string, string>)
                    .map(([name, value]) => `${name}: ${value}`)
                    .join("\n")}
                </Pre>
                <Pre label="Request body">{pretty(attempt.requestBody)}</Pre>
              </div>
              <div className="space-y-1">
                <p className="text-sm font-medium">Response (first 2 KB)</p>
                <Pre label="Response body">{attempt.responseBody || "(empty)"}</Pre>
              </div>
            </div>
          </Card>
        ))
      )}
    </div>
  );
}
