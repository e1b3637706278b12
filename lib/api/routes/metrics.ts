// GET /metrics: Prometheus text format, behind the operator token (and ADMIN_ALLOWED_IPS),
// the whole cluster's numbers when API_PROCESSES > 1 (lib/metrics/cluster.ts).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import "../../metrics/collect";
import { metricsText } from "../../metrics/cluster";
import { registry } from "../../metrics/registry";
import { requireOperatorToken } from "../admin-auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";

const route = createRoute({
  method: "get",
  path: "/metrics",
  summary: "Prometheus metrics (operator token)",
  description:
    "Requests and latency by route and status, invoices created, verifications by result, settlements, payouts, webhook deliveries, queue depth, pool usage and ledger totals per mode.",
  security: [{ operatorToken: [] }],
  middleware: [requireOperatorToken()] as const,
  responses: {
    200: { description: "Metrics in the Prometheus text format", content: { "text/plain": { schema: z.string() } } },
    ...errorResponses,
  },
});

export function metricsRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
    c.header("content-type", registry.contentType);
    return c.text(await metricsText(), 200);
  });
}
