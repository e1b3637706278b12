// Reads for the webhooks page and API, always within one tenant and mode.
import type { Db } from "../db/client";
import { MANUAL_DISABLE_REASON, type WebhookScope } from "./endpoints";

export async function listWebhookEndpoints(db: Db, scope: WebhookScope) {
  return db.webhookEndpoint.findMany({ where: { tenantId: scope.tenantId, mode: scope.mode }, orderBy: { createdAt: "desc" } });
}

export interface DeliveryPage {
  limit: number;
  /** A delivery id: the page starts after it (newest first). */
  startingAfter?: string | null;
}

/** Newest first, keyset on (createdAt, id). */
export async function listDeliveries(db: Db, scope: WebhookScope, endpointId: string, page: DeliveryPage) {
  const after = page.startingAfter
    ? await db.webhookDelivery.findFirst({ where: { id: page.startingAfter, endpointId }, select: { createdAt: true, id: true } })
    : null;
  const rows = await db.webhookDelivery.findMany({
    where: {
      endpointId,
      endpoint: { tenantId: scope.tenantId, mode: scope.mode },
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    include: { event: { select: { id: true, type: true, createdAt: true } }, attemptLog: { orderBy: { number: "desc" }, take: 1 } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
  });
  const hasMore = rows.length > page.limit;
  const data = rows.slice(0, page.limit);
  return { data, hasMore, nextCursor: hasMore ? (data[data.length - 1]?.id ?? null) : null };
}

export async function deliveryAttempts(db: Db, deliveryId: string) {
  return db.webhookAttempt.findMany({ where: { deliveryId }, orderBy: { number: "desc" } });
}

/** Endpoints Tollbooth switched off after failing for days, for the page's banner. */
export function autoDisabled<E extends { enabled: boolean; disabledReason: string | null }>(endpoints: E[]): E[] {
  return endpoints.filter((e) => !e.enabled && e.disabledReason && e.disabledReason !== MANUAL_DISABLE_REASON);
}
