// Webhook signing secrets must be recoverable (we sign with them), so they are encrypted,
// not hashed: AES-256-GCM under a key derived from WEBHOOK_SECRET_KEY, or NEXTAUTH_SECRET
// when that is not set. Stored as "v1.<iv>.<tag>.<ciphertext>" (base64url); the GCM tag
// makes a tampered or wrongly keyed value fail loudly instead of signing with garbage.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const PREFIX = "v1";

function encryptionKey(): Buffer {
  const material = process.env.WEBHOOK_SECRET_KEY || process.env.NEXTAUTH_SECRET;
  if (!material) {
    if (process.env.NODE_ENV === "production") throw new Error("WEBHOOK_SECRET_KEY (or NEXTAUTH_SECRET) must be set in production.");
    // Development and tests without a configured secret: a fixed key, never in production.
    return createHash("sha256").update("tollbooth-dev-webhook-secrets").digest();
  }
  // Domain-separated so the same NEXTAUTH_SECRET never serves two purposes as-is.
  return createHash("sha256").update(`tollbooth-webhook-secrets:${material}`).digest();
}

export function encryptSecret(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(stored: string): string {
  const [prefix, iv, tag, ciphertext] = stored.split(".");
  if (prefix !== PREFIX || !iv || !tag || ciphertext === undefined) throw new Error("Unrecognised webhook secret format");
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** A new signing secret: "whsec_" + 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
