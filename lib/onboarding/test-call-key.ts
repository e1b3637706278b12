// The key behind the dashboard's "Make a test call" button. The test call goes through the
// real middleware and the real service, which authenticate with an API key, yet keys are
// stored as hashes only. So this one key per tenant is derived from the server secret:
// the server can recompute it whenever it needs it, and it is never shown or stored.
// Test mode and invoices:write only: it can ask for test invoices, nothing else.
import { createHmac } from "node:crypto";
import type { Db } from "../db/client";
import { hashKey } from "../keys/api-keys";

export const TEST_CALL_KEY_NAME = "Dashboard test calls";

function serverSecret(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const secret = env.NEXTAUTH_SECRET;
  if (secret) return secret;
  if (env.NODE_ENV === "production") throw new Error("NEXTAUTH_SECRET must be set in production.");
  return "tollbooth development secret"; // tests and tools without a data directory
}

export function deriveTestCallKey(tenantId: string, env?: Readonly<Record<string, string | undefined>>): string {
  const secret = createHmac("sha256", serverSecret(env)).update(`tollbooth test-call key\0${tenantId}`).digest("base64url");
  return `tb_test_${secret}`;
}

/** The tenant's test-call key, created on first use (idempotent: keyed by its hash). */
export async function ensureTestCallKey(db: Db, tenantId: string): Promise<string> {
  const key = deriveTestCallKey(tenantId);
  const hash = hashKey(key);
  await db.apiKey.upsert({
    where: { hash },
    update: {},
    create: {
      tenantId,
      name: TEST_CALL_KEY_NAME,
      mode: "test",
      scopes: ["invoices:write"],
      allowedIps: [],
      prefix: key.slice(0, 12),
      lastFour: key.slice(-4),
      hash,
      internal: true,
    },
  });
  return key;
}
