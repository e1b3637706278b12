// The operator API, part one: GET /api/admin/overview (totals per mode), GET /api/admin/jobs
// (every queue's counts and the recent failed jobs) and POST /api/admin/jobs/{queue}/{id}/retry.
// Operator token only (admin-auth.ts); each action is audited with the token as its actor.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { failedJobs, queueCounts, retryFailedJob, retryJobParams } from "../../admin/jobs";
import { getAdminOverview, platformInfo } from "../../admin/overview";
import { requestContext } from "../../auth/request-context";
import { getDb } from "../../db/client";
import { requireOperatorToken } from "../admin-auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { AdminOverviewSchema, FailedJobSchema, QueueSchema } from "./admin-schemas";

const security = [{ operatorToken: [] }];
const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });

const overview = createRoute({
  method: "get",
  path: "/admin/overview",
  summary: "Platform totals per mode: volume, fee revenue, owed to tenants, Lightning holdings",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  responses: { 200: json("Totals", AdminOverviewSchema), ...errorResponses },
});

const jobs = createRoute({
  method: "get",
  path: "/admin/jobs",
  summary: "Every job queue with its jobs counted by state, and the most recent failed jobs",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { query: z.object({ queue: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: {
    200: json("Queues", z.object({ object: z.literal("job_queues"), queues: z.array(QueueSchema), failed: z.array(FailedJobSchema) })),
    ...errorResponses,
  },
});

const retry = createRoute({
  method: "post",
  path: "/admin/jobs/{queue}/{id}/retry",
  summary: "Put a failed job back in its queue (one more try)",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { params: retryJobParams },
  responses: {
    200: json("Requeued", z.object({ queue: z.string(), id: z.string(), state: z.literal("retry") })),
    404: json(
      "No failed job with this id in this queue",
      z.object({ error: z.object({ type: z.string(), code: z.string(), message: z.string() }) }),
    ),
    ...errorResponses,
  },
});

export function adminRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(overview, async (c) => {
      const db = getDb();
      const [test, live] = await Promise.all([getAdminOverview(db, "test"), getAdminOverview(db, "live")]);
      return c.json({ object: "admin_overview" as const, platform: platformInfo(), modes: { test, live } }, 200);
    })
    .openapi(jobs, async (c) => {
      const { queue, limit } = c.req.valid("query");
      const db = getDb();
      const [queues, failed] = await Promise.all([queueCounts(db), failedJobs(db, { queue, limit })]);
      return c.json({ object: "job_queues" as const, queues, failed }, 200);
    })
    .openapi(retry, async (c) => {
      const result = await retryFailedJob(getDb(), c.req.valid("param"), { kind: "token" }, requestContext(c.req.raw.headers));
      return c.json(result, 200);
    });
}
