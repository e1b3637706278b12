// The machine-readable list of a tenant's priced endpoints, for agents and for the
// middleware's /.well-known/l402.json and payment page branding.
import type { Db } from "../db/client";
import { listEndpoints } from "../endpoints/registry";

export interface DiscoveryDocument {
  version: 1;
  protocol: "L402";
  tenant: { name: string; slug: string; logoUrl: string | null; accentColor: string | null };
  endpoints: {
    method: string;
    path: string;
    priceSats: number;
    description: string | null;
    usesPerPayment: number;
    tokenLifetimeSeconds: number;
  }[];
  payment: { currency: "BTC"; unit: "sats"; network: "lightning"; howToPay: string };
}

export async function discoveryDocument(db: Db, where: { id: string } | { slug: string }): Promise<DiscoveryDocument | null> {
  const tenant = await db.tenant.findUnique({
    where: "id" in where ? { id: where.id } : { slug: where.slug },
    select: { id: true, name: true, slug: true, logoUrl: true, accentColor: true },
  });
  if (!tenant) return null;
  const endpoints = (await listEndpoints(db, tenant.id)).filter((e) => e.enabled);
  return {
    version: 1,
    protocol: "L402",
    tenant: { name: tenant.name, slug: tenant.slug, logoUrl: tenant.logoUrl, accentColor: tenant.accentColor },
    endpoints: endpoints.map((e) => ({
      method: e.method,
      path: e.path,
      priceSats: e.priceSats,
      description: e.description,
      usesPerPayment: e.usesPerPayment,
      tokenLifetimeSeconds: e.tokenLifetimeSeconds,
    })),
    payment: {
      currency: "BTC",
      unit: "sats",
      network: "lightning",
      howToPay:
        'Call the endpoint; on 402 pay the BOLT11 invoice from the WWW-Authenticate header (L402 macaroon="…", invoice="…") and retry with Authorization: L402 <macaroon>:<preimage hex>.',
    },
  };
}
