// The demo tenant every fresh install gets, so a newcomer can sign in at once.
// Idempotent: running it again changes nothing and reports what exists.
import type { Db } from "../db/client";
import { createAccount } from "../tenants/accounts";

export const DEMO_EMAIL = process.env.DEMO_EMAIL ?? "demo@tollbooth.dev";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-password-123";
export const DEMO_TENANT_NAME = "Demo Weather API";

export interface DemoSeed {
  created: boolean;
  email: string;
  password: string;
  tenantId: string;
  tenantSlug: string;
}

export async function seedDemo(db: Db): Promise<DemoSeed> {
  const existing = await db.user.findUnique({ where: { email: DEMO_EMAIL }, include: { memberships: { include: { tenant: true }, orderBy: { createdAt: "asc" } } } });
  if (existing && existing.memberships[0]) {
    const tenant = existing.memberships[0].tenant;
    return { created: false, email: DEMO_EMAIL, password: DEMO_PASSWORD, tenantId: tenant.id, tenantSlug: tenant.slug };
  }
  const { tenant } = await createAccount(db, { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: "Demo Owner", tenantName: DEMO_TENANT_NAME });
  return { created: true, email: DEMO_EMAIL, password: DEMO_PASSWORD, tenantId: tenant.id, tenantSlug: tenant.slug };
}
