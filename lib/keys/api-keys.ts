// API keys: "tb_live_" or "tb_test_" + 32 random bytes (base64url). Only the SHA-256 of a
// key is stored; the key is shown once. Lookup is by hash (an indexed equality), then the
// hashes are compared again in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import { safeText } from "../schemas/text";
import type { Db } from "../db/client";
import { isValidIpRule } from "./ip-allowlist";
import { DEFAULT_API_SCOPES, scopeSchema, type ApiScope } from "./scopes";

export type KeyMode = "test" | "live";

export const createKeySchema = z.object({
  name: safeText().trim().min(1, "Name the key (e.g. “production server”).").max(80),
  mode: z.enum(["test", "live"]).default("test"),
  scopes: z
    .array(scopeSchema)
    .min(1, "Give the key at least one scope.")
    .default([...DEFAULT_API_SCOPES]),
  allowedIps: z.array(z.string().trim().refine(isValidIpRule, "Use an IP address or CIDR range, like 203.0.113.0/24.")).max(50).default([]),
  expiresAt: z.coerce
    .date()
    .refine((d) => d > new Date(), "The expiry must be in the future.")
    .optional(),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

const KEY_PATTERN = /^tb_(live|test)_[A-Za-z0-9_-]{43}$/;

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function generateKey(mode: KeyMode): string {
  return `tb_${mode}_${randomBytes(32).toString("base64url")}`;
}

// Writers take a transaction client too, so a dashboard change commits with its audit event.
type KeyWriter = Pick<Db, "apiKey">;

export async function createApiKey(
  db: KeyWriter,
  tenantId: string,
  input: unknown,
  options: { createdByUserId?: string; rotatedFromId?: string } = {},
) {
  const { name, mode, scopes, allowedIps, expiresAt } = parseInput(createKeySchema, input, "invalid_api_key_request");
  const key = generateKey(mode);
  const record = await db.apiKey.create({
    data: {
      tenantId,
      name,
      mode,
      scopes,
      allowedIps,
      expiresAt,
      prefix: key.slice(0, 12),
      lastFour: key.slice(-4),
      hash: hashKey(key),
      createdByUserId: options.createdByUserId,
      rotatedFromId: options.rotatedFromId,
    },
  });
  return { key, record };
}

/** A new key with the same settings; the old one keeps working until `oldKeyExpiresAt`
 *  (default 24 h), so deployments can switch over without downtime. A key is rotated once:
 *  rotating it again would leave two replacements. Run it inside `db.$transaction`: the old
 *  key's row is locked first, so of two rotations racing exactly one wins. */
export async function rotateApiKey(
  db: Pick<Db, "apiKey" | "$queryRaw">,
  tenantId: string,
  keyId: string,
  oldKeyExpiresAt = new Date(Date.now() + 86_400_000),
  createdByUserId?: string,
) {
  await db.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId} AND tenant_id = ${tenantId} FOR UPDATE`;
  const old = await db.apiKey.findFirst({ where: { id: keyId, tenantId, revokedAt: null } });
  if (!old) throw new AppError("not_found_error", "api_key_not_found", "API key not found.");
  if (oldKeyExpiresAt.getTime() < Date.now())
    throw new AppError("invalid_request_error", "invalid_expiry", "The old key's expiry must not be in the past.", {
      param: "oldKeyExpiresAt",
    });
  if (old.expiresAt && old.expiresAt <= new Date())
    throw new AppError("invalid_request_error", "api_key_expired", "This key has expired: create a new key instead of rotating it.");
  const successor = await db.apiKey.findFirst({ where: { rotatedFromId: old.id, tenantId }, select: { id: true } });
  if (successor)
    throw new AppError(
      "conflict_error",
      "api_key_already_rotated",
      "This key has already been rotated; rotate its replacement, or revoke it to stop it at once.",
    );
  const created = await createApiKey(
    db,
    tenantId,
    { name: old.name, mode: old.mode, scopes: old.scopes, allowedIps: old.allowedIps },
    { createdByUserId, rotatedFromId: old.id },
  );
  const earliest = old.expiresAt && old.expiresAt < oldKeyExpiresAt ? old.expiresAt : oldKeyExpiresAt;
  await db.apiKey.update({ where: { id: old.id }, data: { expiresAt: earliest } });
  return created;
}

export async function revokeApiKey(db: KeyWriter, tenantId: string, keyId: string) {
  const result = await db.apiKey.updateMany({ where: { id: keyId, tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (result.count === 0) throw new AppError("not_found_error", "api_key_not_found", "API key not found.");
}

/** The owner's keys (not the dashboard's internal test-call key, lib/onboarding/test-call-key.ts). */
export async function listApiKeys(db: Db, tenantId: string) {
  return db.apiKey.findMany({
    where: { tenantId, internal: false },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      mode: true,
      prefix: true,
      lastFour: true,
      scopes: true,
      allowedIps: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      rotatedFromId: true,
      createdAt: true,
    },
  });
}

export interface AuthenticatedKey {
  id: string;
  tenantId: string;
  mode: KeyMode;
  scopes: ApiScope[];
  allowedIps: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** When a platform operator suspended the key's tenant (every key then fails). */
  tenantSuspendedAt?: Date | null;
}

/** Finds the key record for a presented key, or null. Shape errors are the caller's. */
export async function findApiKey(db: Db, presented: string): Promise<AuthenticatedKey | null> {
  if (!KEY_PATTERN.test(presented)) return null;
  const presentedHash = hashKey(presented);
  const record = await db.apiKey.findUnique({ where: { hash: presentedHash } });
  // Read apart, not joined: api_keys has no relation to tenants in the schema, and this is
  // one indexed primary-key read, cached with the key (lib/api/auth.ts).
  const tenant = record ? await db.tenant.findUnique({ where: { id: record.tenantId }, select: { suspendedAt: true } }) : null;
  if (!record || !timingSafeEqual(Buffer.from(record.hash, "hex"), Buffer.from(presentedHash, "hex"))) return null;
  return {
    id: record.id,
    tenantId: record.tenantId,
    mode: record.mode,
    scopes: record.scopes as ApiScope[],
    allowedIps: record.allowedIps,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    tenantSuspendedAt: tenant?.suspendedAt ?? null,
  };
}

export { KEY_PATTERN };
