// API-key changes made by a person on the dashboard: the member's permission is checked here
// (viewers look, owners and admins change), and each change commits together with its audit
// event. The key rules themselves live in ./api-keys.
import { invalidate } from "../redis/invalidation";
import { z } from "zod";
import { parseInput } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { requireMembership } from "../tenants/permissions";
import { createApiKey, revokeApiKey, rotateApiKey } from "./api-keys";
import { maskKey } from "./status";

export const DEFAULT_GRACE_SECONDS = 86_400;
export const MAX_GRACE_SECONDS = 30 * 86_400;

export const rotateKeySchema = z.object({
  keyId: z.string().min(1).max(64),
  graceSeconds: z
    .number({ error: "Say how long the old key keeps working." })
    .int("Say how long the old key keeps working, in whole minutes, hours or days.")
    .min(60, "The old key keeps working at least 1 minute.")
    .max(MAX_GRACE_SECONDS, "The old key keeps working 30 days at most.")
    .default(DEFAULT_GRACE_SECONDS),
});

export async function issueApiKey(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "keys:write");
  return db.$transaction(async (tx) => {
    const created = await createApiKey(tx, tenantId, input, { createdByUserId: actorUserId });
    await recordAudit(tx, {
      action: "api_key.created",
      tenantId,
      actorUserId,
      target: maskKey(created.record),
      metadata: {
        keyId: created.record.id,
        name: created.record.name,
        mode: created.record.mode,
        scopes: created.record.scopes.join(","),
        allowedIps: created.record.allowedIps.join(","),
        expiresAt: created.record.expiresAt?.toISOString() ?? null,
      },
      ...context,
    });
    return created;
  });
}

/** A replacement key; the old one works for `graceSeconds` more (default 24 h), then fails
 *  with `api_key_expired`. */
export async function rotateKey(db: Db, actorUserId: string, tenantId: string, input: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "keys:write");
  const { keyId, graceSeconds } = parseInput(rotateKeySchema, input, "invalid_rotation");
  const oldKeyExpiresAt = new Date(Date.now() + graceSeconds * 1000);
  const rotated = await db.$transaction(async (tx) => {
    const created = await rotateApiKey(tx, tenantId, keyId, oldKeyExpiresAt, actorUserId);
    const old = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
    await recordAudit(tx, {
      action: "api_key.rotated",
      tenantId,
      actorUserId,
      target: maskKey(old),
      metadata: {
        oldKeyId: old.id,
        newKeyId: created.record.id,
        newKey: maskKey(created.record),
        oldKeyExpiresAt: old.expiresAt?.toISOString() ?? null,
      },
      ...context,
    });
    return { ...created, oldKeyExpiresAt: old.expiresAt ?? oldKeyExpiresAt };
  });
  // After the commit: an API process that looked the key up meanwhile caches the new state.
  await invalidate({ kind: "api-keys", tenantId });
  return rotated;
}

export async function revokeKey(db: Db, actorUserId: string, tenantId: string, keyId: unknown, context: RequestContext = {}) {
  await requireMembership(db, actorUserId, tenantId, "keys:write");
  const id = parseInput(rotateKeySchema.shape.keyId, keyId, "invalid_api_key_request", "keyId");
  await db.$transaction(async (tx) => {
    await revokeApiKey(tx, tenantId, id);
    const key = await tx.apiKey.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, { action: "api_key.revoked", tenantId, actorUserId, target: maskKey(key), metadata: { keyId: id }, ...context });
  });
  await invalidate({ kind: "api-keys", tenantId });
}
