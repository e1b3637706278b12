// The endpoints page: every endpoint of the tenant, discovered ones (registered by the
// middleware on a first call, price following the code) first so they get looked at.
// Endpoints and prices are shared by test and live mode.
import type { Db } from "../../db/client";

export interface EndpointListRow {
  id: string;
  method: string;
  path: string;
  priceSats: number;
  description: string | null;
  enabled: boolean;
  tokenLifetimeSeconds: number;
  usesPerPayment: number;
  discovered: boolean;
  pricingMode: string;
  maxCostPerCallSats: number | null;
  balanceExpiry: string;
  dynamicPrice: boolean;
  createdAt: Date;
}

export async function getEndpointList(db: Db, tenantId: string): Promise<EndpointListRow[]> {
  return db.endpoint.findMany({
    where: { tenantId },
    orderBy: [{ discovered: "desc" }, { path: "asc" }, { method: "asc" }],
    select: {
      id: true,
      method: true,
      path: true,
      priceSats: true,
      description: true,
      enabled: true,
      tokenLifetimeSeconds: true,
      usesPerPayment: true,
      discovered: true,
      pricingMode: true,
      maxCostPerCallSats: true,
      balanceExpiry: true,
      dynamicPrice: true,
      createdAt: true,
    },
  });
}
