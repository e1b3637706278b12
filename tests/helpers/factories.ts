import { randomBytes } from "node:crypto";
import type { Db } from "../../lib/db/client";
import { createAccount } from "../../lib/tenants/accounts";

export const PASSWORD = "correct horse battery";

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.com`;
}

/** A user who owns a fresh tenant. */
export async function ownerWithTenant(db: Db, tenantName = "Acme API") {
  const email = uniqueEmail("owner");
  const { user, tenant } = await createAccount(db, { email, password: PASSWORD, tenantName });
  return { user, tenant, email };
}
