// GET /api/v1/stats: the overview's numbers for the key's tenant and mode (a tb_test_ key
// sees test data, a tb_live_ key live data), in l402-kit's shape.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { getOverviewStats } from "../../stats";
import { rangeQuerySchema } from "../../stats/schemas";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { OverviewStatsSchema } from "./stats-schemas";

const stats = createRoute({
  method: "get",
  path: "/v1/stats",
  summary: "Payment stats: totals, fee and net, 7-day trend, per endpoint, per day, recent payments",
  description:
    "Per UTC day: from and to are rounded out to whole days. The key is also accepted in an `x-dashboard-secret` header (l402-kit's).",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("stats:read")] as const,
  request: { query: rangeQuerySchema },
  responses: { 200: { description: "Stats", content: { "application/json": { schema: OverviewStatsSchema } } }, ...errorResponses },
});

export function statsRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(stats, async (c) => {
    const { tenantId, mode } = c.get("apiKey");
    return c.json(await getOverviewStats(getDb(), { tenantId, mode, ...c.req.valid("query") }), 200);
  });
}
