// GET /api/v1/balance: the owner's balances in the key's mode, msat as decimal strings.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { getBalance } from "../../stats";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { BalanceSchema } from "./stats-schemas";

const balance = createRoute({
  method: "get",
  path: "/v1/balance",
  summary: "Available, pending and paid-out balance, and the platform fees taken",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("stats:read")] as const,
  responses: { 200: { description: "Balance", content: { "application/json": { schema: BalanceSchema } } }, ...errorResponses },
});

export function balanceRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(balance, async (c) => {
    const { tenantId, mode } = c.get("apiKey");
    const b = await getBalance(getDb(), { tenantId, mode });
    return c.json(
      {
        availableMsat: b.availableMsat.toString(),
        pendingMsat: b.pendingMsat.toString(),
        paidOutMsat: b.paidOutMsat.toString(),
        feesMsat: b.feesMsat.toString(),
      },
      200,
    );
  });
}
