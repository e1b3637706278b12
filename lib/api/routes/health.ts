import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { checkHealth } from "../../health/check";
import type { ApiEnv } from "../app";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    db: z.string().openapi({ example: "ok" }),
    migrations: z.string().openapi({ example: "up to date" }),
    lightning: z.string().openapi({ example: "simulated" }),
    version: z.string(),
    uptimeSeconds: z.number().int(),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness and readiness",
  responses: {
    200: { description: "Everything works", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "A part is failing; the failing part says why", content: { "application/json": { schema: HealthSchema } } },
  },
});

export function healthRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
    const health = await checkHealth();
    return c.json(health, health.status === "ok" ? 200 : 503);
  });
}
