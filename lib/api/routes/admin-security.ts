// The operator API, part three: GET /api/admin/security-log: sign-ins, failures, lock-outs,
// payouts, Lightning-address changes and operator actions across every tenant, newest first,
// filtered by actor, action and date (list shape, cursor pagination).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listAuditPage, auditFilterSchema } from "../../audit/query";
import { SECURITY_ACTIONS } from "../../audit/labels";
import { getDb } from "../../db/client";
import { requireOperatorToken } from "../admin-auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { AuditEventSchema, listOf } from "./admin-schemas";

const securityLog = createRoute({
  method: "get",
  path: "/admin/security-log",
  summary: "Security events across every tenant, newest first",
  tags: ["Operator"],
  security: [{ operatorToken: [] }],
  middleware: [requireOperatorToken()] as const,
  request: { query: auditFilterSchema },
  responses: {
    200: { description: "Security events", content: { "application/json": { schema: listOf(AuditEventSchema) } } },
    ...errorResponses,
  },
});

export function adminSecurityRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(securityLog, async (c) => {
    const page = await listAuditPage(getDb(), { allTenants: true, actions: SECURITY_ACTIONS }, c.req.valid("query"));
    return c.json({ object: "list" as const, data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor }, 200);
  });
}
