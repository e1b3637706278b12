// Calls the Hono app in-process, as the middleware would over HTTP.
import type { createApiApp } from "../../lib/api/app";
import type { Db } from "../../lib/db/client";
import { createApiKey, type CreateKeyInput } from "../../lib/keys/api-keys";
import { ownerWithTenant } from "./factories";

export type Api = ReturnType<typeof createApiApp>;

export async function call(
  app: Api,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await app.request(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** A tenant with an API key (test mode, every scope unless told otherwise). */
export async function tenantWithKey(db: Db, keyInput: Partial<CreateKeyInput> = {}) {
  const owner = await ownerWithTenant(db);
  const { key, record } = await createApiKey(db, owner.tenant.id, { name: "test key", ...keyInput });
  return { ...owner, key, keyRecord: record };
}
