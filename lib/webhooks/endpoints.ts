// Webhook endpoint changes, for the dashboard and the API alike: scoped to one tenant and
// mode (another tenant's id is "not found"), each committed with its audit event. The
// signing secret is returned only by create and rotate, to be shown once.
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { AppError, parseInput } from "../errors";
import { recordAudit, type AuditAction, type RequestContext } from "../audit/record";
import type { KeyMode } from "../keys/api-keys";
import { checkEndpointUrl, endpointInputSchema, endpointUpdateSchema, rotateSecretSchema, webhookIdSchema } from "./schemas";
import { encryptSecret, newSigningSecret } from "./secret-box";

export interface WebhookScope {
  tenantId: string;
  mode: KeyMode;
}

/** Who made the change, for the audit log. */
export interface WebhookActor extends RequestContext {
  actorUserId?: string | null;
  actorLabel?: string | null;
}

export const MANUAL_DISABLE_REASON = "Disabled by a team member.";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export async function findEndpointOr404(db: Pick<Db, "webhookEndpoint">, scope: WebhookScope, id: unknown) {
  const endpointId = parseInput(webhookIdSchema, id, "invalid_webhook_endpoint", "id");
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId: scope.tenantId, mode: scope.mode } });
  if (!endpoint) throw new AppError("not_found_error", "webhook_endpoint_not_found", "Webhook endpoint not found.", { param: "id" });
  return endpoint;
}

function validUrl(raw: string, mode: KeyMode): string {
  const checked = checkEndpointUrl(raw, mode);
  if ("error" in checked) throw new AppError("invalid_request_error", "invalid_webhook_url", checked.error, { param: "url" });
  return checked.url;
}

async function audit(
  tx: Tx,
  scope: WebhookScope,
  actor: WebhookActor,
  action: AuditAction,
  target: string,
  metadata: Record<string, string | number | boolean | null>,
) {
  await recordAudit(tx, { action, tenantId: scope.tenantId, target, metadata: { mode: scope.mode, ...metadata }, ...actor });
}

export async function createWebhookEndpoint(db: Db, scope: WebhookScope, input: unknown, actor: WebhookActor = {}) {
  const parsed = parseInput(endpointInputSchema, input, "invalid_webhook_endpoint");
  const url = validUrl(parsed.url, scope.mode);
  const secret = newSigningSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id: `we_${randomBytes(12).toString("hex")}`,
        tenantId: scope.tenantId,
        mode: scope.mode,
        url,
        description: parsed.description,
        events: parsed.events,
        secretCiphertext: encryptSecret(secret),
      },
    });
    await audit(tx, scope, actor, "webhook_endpoint.created", url, { endpointId: created.id, events: parsed.events.join(",") });
    return created;
  });
  return { endpoint, secret };
}

export async function updateWebhookEndpoint(db: Db, scope: WebhookScope, id: unknown, input: unknown, actor: WebhookActor = {}) {
  const existing = await findEndpointOr404(db, scope, id);
  const parsed = parseInput(endpointUpdateSchema, input, "invalid_webhook_endpoint");
  const url = parsed.url === undefined ? undefined : validUrl(parsed.url, scope.mode);
  return db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: existing.id },
      data: { url, description: parsed.description, events: parsed.events },
    });
    await audit(tx, scope, actor, "webhook_endpoint.updated", updated.url, { endpointId: updated.id, events: updated.events.join(",") });
    return updated;
  });
}

export async function setWebhookEndpointEnabled(db: Db, scope: WebhookScope, id: unknown, enabled: boolean, actor: WebhookActor = {}) {
  const existing = await findEndpointOr404(db, scope, id);
  return db.$transaction(async (tx) => {
    // Enabling clears the failure run, so an endpoint switched back on gets its full days.
    const updated = await tx.webhookEndpoint.update({
      where: { id: existing.id },
      data: enabled
        ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null }
        : { enabled: false, disabledReason: MANUAL_DISABLE_REASON, disabledAt: new Date() },
    });
    await audit(tx, scope, actor, enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", updated.url, {
      endpointId: updated.id,
    });
    return updated;
  });
}

export async function deleteWebhookEndpoint(db: Db, scope: WebhookScope, id: unknown, actor: WebhookActor = {}) {
  const existing = await findEndpointOr404(db, scope, id);
  await db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: existing.id } });
    await audit(tx, scope, actor, "webhook_endpoint.deleted", existing.url, { endpointId: existing.id });
  });
  return existing;
}

/** A new secret; the old one keeps signing (a second v1=) for `graceHours` (default 24). */
export async function rotateWebhookSecret(db: Db, scope: WebhookScope, id: unknown, input: unknown, actor: WebhookActor = {}) {
  const existing = await findEndpointOr404(db, scope, id);
  const { graceHours } = parseInput(rotateSecretSchema, input ?? {}, "invalid_rotation");
  const secret = newSigningSecret();
  const previousSecretExpiresAt = new Date(Date.now() + graceHours * 3_600_000);
  const endpoint = await db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: existing.id },
      data: {
        secretCiphertext: encryptSecret(secret),
        previousSecretCiphertext: graceHours > 0 ? existing.secretCiphertext : null,
        previousSecretExpiresAt: graceHours > 0 ? previousSecretExpiresAt : null,
      },
    });
    await audit(tx, scope, actor, "webhook_endpoint.secret_rotated", updated.url, {
      endpointId: updated.id,
      previousSecretExpiresAt: graceHours > 0 ? previousSecretExpiresAt.toISOString() : null,
    });
    return updated;
  });
  return { endpoint, secret };
}
