// What an owner triggers by hand: a test event to one endpoint, and redelivering one
// delivery now (a new attempt on it, outside the automatic schedule).
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { recordAudit } from "../audit/record";
import { findEndpointOr404, type WebhookActor, type WebhookScope } from "./endpoints";
import { enqueueDelivery } from "./fan-out";
import { newEventId, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./publish";
import { webhookIdSchema } from "./schemas";

function sampleData(type: string): Record<string, string | number | boolean> {
  const paymentHash = randomBytes(32).toString("hex");
  if (type.startsWith("payment.")) return { test: true, paymentHash, amountSats: 21, amountMsat: "21000", endpoint: "GET /example" };
  if (type.startsWith("payout.")) return { test: true, payoutId: "po_test", amountSats: 1000, amountMsat: "1000000" };
  if (type === "key.expiring") return { test: true, keyId: "key_test", expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() };
  return { test: true };
}

/** Stores a test event (data.test = true) with a delivery to this endpoint only, queued now. */
export async function sendTestEvent(db: Db, scope: WebhookScope, endpointId: unknown, type: unknown, actor: WebhookActor = {}) {
  const endpoint = await findEndpointOr404(db, scope, endpointId);
  const chosen = (WEBHOOK_EVENT_TYPES as readonly string[]).includes(String(type))
    ? (String(type) as WebhookEventType)
    : endpoint.events[0];
  const eventType = chosen ?? "payment.settled";
  return db.$transaction(async (tx) => {
    const event = await tx.webhookEvent.create({
      data: {
        id: newEventId(),
        tenantId: scope.tenantId,
        mode: scope.mode,
        type: eventType,
        idempotencyKey: `test:${randomBytes(12).toString("hex")}`,
        data: sampleData(eventType),
        fannedOutAt: new Date(),
      },
    });
    const delivery = await tx.webhookDelivery.create({
      data: { id: `whd_${randomBytes(16).toString("hex")}`, eventId: event.id, endpointId: endpoint.id },
    });
    await enqueueDelivery(tx, delivery.id, { manual: true });
    await recordAudit(tx, {
      action: "webhook_endpoint.test_sent",
      tenantId: scope.tenantId,
      target: endpoint.url,
      metadata: { endpointId: endpoint.id, eventId: event.id, type: eventType },
      ...actor,
    });
    return { event, delivery };
  });
}

export async function findDeliveryOr404(db: Pick<Db, "webhookDelivery">, scope: WebhookScope, id: unknown) {
  const deliveryId = parseInput(webhookIdSchema, id, "invalid_webhook_delivery", "id");
  const delivery = await db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpoint: { tenantId: scope.tenantId, mode: scope.mode } },
    include: { event: true, endpoint: true },
  });
  if (!delivery) throw new AppError("not_found_error", "webhook_delivery_not_found", "Webhook delivery not found.", { param: "id" });
  return delivery;
}

/** Queues one more attempt of this delivery now. */
export async function redeliver(db: Db, scope: WebhookScope, deliveryId: unknown, actor: WebhookActor = {}) {
  const delivery = await findDeliveryOr404(db, scope, deliveryId);
  await db.$transaction(async (tx) => {
    await enqueueDelivery(tx, delivery.id, { manual: true });
    await recordAudit(tx, {
      action: "webhook_delivery.redelivered",
      tenantId: scope.tenantId,
      target: delivery.endpoint.url,
      metadata: { deliveryId: delivery.id, eventId: delivery.eventId, type: delivery.event.type },
      ...actor,
    });
  });
  return delivery;
}
