// The demo tenant every fresh install gets, so a newcomer can sign in at once.
// Idempotent: running it again changes nothing and reports what exists.
import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import { createAccount } from "../tenants/accounts";
import { hashKey } from "../keys/api-keys";
import { API_SCOPES } from "../keys/scopes";
import { createEndpoint } from "../endpoints/registry";
import { SIMULATED_MAX_SENDABLE_MSAT, SIMULATED_MIN_SENDABLE_MSAT } from "../payouts/simulated-lnurl";

export const DEMO_EMAIL = process.env.DEMO_EMAIL ?? "demo@tollbooth.dev";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-password-123";
export const DEMO_TENANT_NAME = "Demo Weather API";
export const DEMO_PAYOUT_THRESHOLD_MSAT = 50_000n;
// A well-known test-mode key, like a payment processor's published test keys: it only
// ever moves simulated sats, and it lets the examples work out of the box. It is seeded
// by `npm run dev` and `tollbooth seed` only; never seed a production database.
export const DEMO_API_KEY =
  process.env.DEMO_API_KEY ?? `tb_test_${createHash("sha256").update("tollbooth demo api key").digest("base64url")}`;

export interface DemoSeed {
  created: boolean;
  email: string;
  password: string;
  tenantId: string;
  tenantSlug: string;
  apiKey: string;
  lightningAddress: string | null;
}

/** The app's own host[:port], where the simulated LNURL-pay server answers in development:
 *  NEXTAUTH_URL's host (the launcher sets it to http://localhost:$PORT), else localhost:PORT. */
export function demoLightningAddressHost(env: Readonly<Record<string, string | undefined>> = process.env): string {
  try {
    if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).host;
  } catch {
    // not a URL: fall back to the port
  }
  return `localhost:${env.PORT ?? 3000}`;
}

export async function seedDemo(db: Db, options: { lightningAddressHost?: string } = {}): Promise<DemoSeed> {
  const existing = await db.user.findUnique({
    where: { email: DEMO_EMAIL },
    include: { memberships: { include: { tenant: true }, orderBy: { createdAt: "asc" } } },
  });
  let created = false;
  let tenant = existing?.memberships[0]?.tenant;
  if (!tenant) {
    tenant = (await createAccount(db, { email: DEMO_EMAIL, password: DEMO_PASSWORD, name: "Demo Owner", tenantName: DEMO_TENANT_NAME }))
      .tenant;
    created = true;
    // Six test calls at 10 sats cross it, so `npm run dev` shows a payout within a minute.
    await db.tenant.update({ where: { id: tenant.id }, data: { payoutThresholdMsat: DEMO_PAYOUT_THRESHOLD_MSAT } });
    await createEndpoint(db, tenant.id, { method: "GET", path: "/premium", priceSats: 10, description: "Premium weather forecast" });
    await createEndpoint(db, tenant.id, {
      method: "GET",
      path: "/forecast/:city",
      priceSats: 21,
      description: "Forecast for one city, 10 calls per payment",
      usesPerPayment: 10,
    });
  }
  // The demo owner gets paid at demo@<this app's host> (the simulated LNURL-pay server). A
  // restart on another port moves it along; an address the owner set themselves stays.
  let lightningAddress = tenant.lightningAddress;
  const demoAddress = `demo@${options.lightningAddressHost ?? demoLightningAddressHost()}`;
  if (lightningAddress === null || (/^demo@(localhost|127\.0\.0\.1)(:\d+)?$/.test(lightningAddress) && lightningAddress !== demoAddress)) {
    lightningAddress = demoAddress;
    // Set by the seed, not changed by a person: no payout cool-down.
    await db.tenant.update({
      where: { id: tenant.id },
      data: {
        lightningAddress,
        lightningAddressMinSendableMsat: SIMULATED_MIN_SENDABLE_MSAT,
        lightningAddressMaxSendableMsat: SIMULATED_MAX_SENDABLE_MSAT,
      },
    });
  }
  await db.apiKey.upsert({
    where: { hash: hashKey(DEMO_API_KEY) },
    update: {},
    create: {
      tenantId: tenant.id,
      name: "Demo test key",
      mode: "test",
      scopes: [...API_SCOPES],
      allowedIps: [],
      prefix: DEMO_API_KEY.slice(0, 12),
      lastFour: DEMO_API_KEY.slice(-4),
      hash: hashKey(DEMO_API_KEY),
    },
  });
  return {
    created,
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    apiKey: DEMO_API_KEY,
    lightningAddress,
  };
}
