// The deliver job: one HTTP attempt of one delivery. The attempt (URL, headers, body) is
// stored before the request goes out and completed with the answer; a failure schedules the
// next attempt as a delayed pg-boss job (startAfter), so the schedule survives restarts.
// Automatic jobs of a delivery that already succeeded or gave up do nothing (safe re-runs).
import type { Db } from "../db/client";
import { recordAudit } from "../audit/record";
import { publicPost } from "../http/public-post";
import { nextRetryDelay, webhookPolicy, type WebhookPolicy } from "./config";
import { enqueueDelivery } from "./fan-out";
import { decryptSecret } from "./secret-box";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";
import type { Resolve } from "../http/public-post";

export interface DeliverOptions {
  manual?: boolean;
  /** An automatic job's claim: the attempts the delivery has made when this job was queued.
   *  A job whose attempt another job already made (a sweep's copy, pg-boss retrying a dead
   *  worker's job) skips, so one delivery never runs two retry schedules. Jobs queued
   *  before this existed carry none and are not checked. */
  expectedAttempts?: number;
  policy?: WebhookPolicy;
  resolve?: Resolve;
  now?: () => Date;
}

type Outcome = "succeeded" | "retrying" | "failed" | "skipped";

/** The body receivers get: {id, type, created (unix seconds), data}. */
export function eventBody(event: { id: string; type: string; createdAt: Date; data: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, created: Math.floor(event.createdAt.getTime() / 1000), data: event.data });
}

/** The secrets that sign now: the current one and, during a rotation's grace, the old one. */
export function signingSecrets(
  endpoint: { secretCiphertext: string; previousSecretCiphertext: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
) {
  const secrets = [decryptSecret(endpoint.secretCiphertext)];
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(decryptSecret(endpoint.previousSecretCiphertext));
  }
  return secrets;
}

export async function deliverWebhook(db: Db, deliveryId: string, options: DeliverOptions = {}): Promise<Outcome> {
  const policy = options.policy ?? webhookPolicy();
  const now = options.now ?? (() => new Date());
  const manual = options.manual ?? false;
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { event: true, endpoint: true } });
  if (!delivery) return "skipped";
  if (!manual && (delivery.state === "succeeded" || delivery.state === "failed")) return "skipped";
  const { endpoint, event } = delivery;
  if (!manual && !endpoint.enabled) {
    await db.webhookDelivery.update({
      where: { id: deliveryId },
      data: { state: "failed", nextAttemptAt: null, lastError: "endpoint disabled" },
    });
    return "failed";
  }

  const body = eventBody(event);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Tollbooth-Webhooks/1.0",
    [SIGNATURE_HEADER]: signatureHeader(body, signingSecrets(endpoint, now())),
    "Tollbooth-Event-Id": event.id,
    "Tollbooth-Delivery-Id": delivery.id,
  };
  // Stored before sending: a crash mid-request still shows the attempt that went out.
  const expected = manual ? undefined : options.expectedAttempts;
  const attempt = await db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ attempts: number }[]>`
      UPDATE webhook_deliveries SET attempts = attempts + 1, updated_at = now()
      WHERE id = ${deliveryId} AND (${expected ?? null}::int IS NULL OR attempts = ${expected ?? null}::int)
      RETURNING attempts`;
    if (claimed.length === 0) return null;
    const [{ attempts }] = claimed;
    return tx.webhookAttempt.create({
      data: { deliveryId, number: attempts, manual, requestUrl: endpoint.url, requestHeaders: headers, requestBody: body },
    });
  });
  if (!attempt) return "skipped";

  const started = performance.now();
  let status: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const result = await publicPost(endpoint.url, {
      headers,
      body,
      timeoutMs: policy.timeoutMs,
      allowPrivate: policy.allowPrivate,
      resolve: options.resolve,
    });
    status = result.status;
    responseBody = result.body;
    if (status >= 300 && status < 400) error = `redirect${result.location ? ` to ${result.location}` : ""} not followed`;
    else if (status < 200 || status >= 300) error = `HTTP ${status}`;
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const durationMs = Math.round(performance.now() - started);
  const succeeded = error === null;

  return db.$transaction(async (tx) => {
    await tx.webhookAttempt.update({
      where: { id: attempt.id },
      data: { responseStatus: status, responseBody, durationMs, error, succeeded },
    });
    const current = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    if (succeeded) {
      await tx.webhookDelivery.update({
        where: { id: deliveryId },
        data: { state: "succeeded", nextAttemptAt: null, lastStatus: status, lastError: null },
      });
      await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: null } });
      return "succeeded";
    }
    const at = now();
    const failingSince = endpoint.failingSince ?? at;
    if (!endpoint.failingSince) await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince } });
    const failingTooLong = at.getTime() - failingSince.getTime() >= policy.disableAfterSeconds * 1000;
    let state: Outcome;
    let nextAttemptAt: Date | null = current.nextAttemptAt;
    if (manual) {
      // A manual attempt does not start a schedule: an automatic retry already pending stays.
      state = current.state === "retrying" ? "retrying" : "failed";
    } else {
      const delay = failingTooLong ? null : nextRetryDelay(policy, attempt.number, delivery.createdAt, at);
      state = delay === null ? "failed" : "retrying";
      nextAttemptAt = delay === null ? null : new Date(at.getTime() + delay * 1000);
      if (delay !== null) await enqueueDelivery(tx, deliveryId, { afterSeconds: delay, expectedAttempts: attempt.number });
    }
    await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { state, nextAttemptAt, lastStatus: status, lastError: error } });
    if (failingTooLong && endpoint.enabled) await disableFailingEndpoint(tx, endpoint, failingSince);
    return state;
  });
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function disableFailingEndpoint(tx: Tx, endpoint: { id: string; tenantId: string | null; url: string }, failingSince: Date) {
  const days = Math.max(1, Math.round((Date.now() - failingSince.getTime()) / 86_400_000));
  const reason = `Every delivery failed for ${days} day${days === 1 ? "" : "s"} (since ${failingSince.toISOString()}).`;
  const changed = await tx.webhookEndpoint.updateMany({
    where: { id: endpoint.id, enabled: true },
    data: { enabled: false, disabledReason: reason, disabledAt: new Date() },
  });
  // The owner is told on the webhooks page (banner) and in the audit log.
  if (changed.count) {
    await recordAudit(tx, {
      action: "webhook_endpoint.auto_disabled",
      tenantId: endpoint.tenantId,
      actorLabel: "Tollbooth",
      target: endpoint.url,
      metadata: { endpointId: endpoint.id, reason },
    });
  }
}
