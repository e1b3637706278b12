// The operator API, part two: tenants. GET /api/admin/tenants (list, search by name, slug or
// owner email), GET /api/admin/tenants/{id}, POST /api/admin/tenants/{id}/suspend (with a
// reason) and /unsuspend. Suspending one makes its API keys fail with 403 tenant_suspended.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { suspendSchema, suspendTenant, unsuspendTenant } from "../../admin/suspend";
import { getTenantDetail, listTenants, tenantSearchSchema } from "../../admin/tenants";
import { requestContext } from "../../auth/request-context";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { requireOperatorToken } from "../admin-auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { AdminTenantDetailSchema, AdminTenantSchema, listOf, modeQuerySchema } from "./admin-schemas";

const security = [{ operatorToken: [] }];
const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });
const idParams = z.object({ id: z.string().min(1).max(100) });
const SuspensionSchema = z.object({
  id: z.string(),
  slug: z.string(),
  suspendedAt: z.string().nullable(),
  suspendedReason: z.string().nullable(),
});

const list = createRoute({
  method: "get",
  path: "/admin/tenants",
  summary: "Tenants, newest first, with volume and balance in one mode",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { query: tenantSearchSchema.extend(modeQuerySchema.shape) },
  responses: { 200: json("Tenants", listOf(AdminTenantSchema)), ...errorResponses },
});

const detail = createRoute({
  method: "get",
  path: "/admin/tenants/{id}",
  summary: "One tenant: owners, members, keys, volume and balance in one mode",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { params: idParams, query: modeQuerySchema },
  responses: { 200: json("The tenant", AdminTenantDetailSchema), ...errorResponses },
});

const suspend = createRoute({
  method: "post",
  path: "/admin/tenants/{id}/suspend",
  summary: "Suspend a tenant: its API keys then fail with 403 tenant_suspended",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { params: idParams, body: { content: { "application/json": { schema: suspendSchema } }, required: true } },
  responses: { 200: json("Suspended", SuspensionSchema), ...errorResponses },
});

const unsuspend = createRoute({
  method: "post",
  path: "/admin/tenants/{id}/unsuspend",
  summary: "Lift a tenant's suspension",
  tags: ["Operator"],
  security,
  middleware: [requireOperatorToken()] as const,
  request: { params: idParams },
  responses: { 200: json("Unsuspended", SuspensionSchema), ...errorResponses },
});

const suspension = (t: { id: string; slug: string; suspendedAt: Date | null; suspendedReason: string | null }) => ({
  id: t.id,
  slug: t.slug,
  suspendedAt: t.suspendedAt?.toISOString() ?? null,
  suspendedReason: t.suspendedReason,
});

export function adminTenantRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(list, async (c) => {
      const { mode, ...query } = c.req.valid("query");
      const page = await listTenants(getDb(), mode, query);
      return c.json({ object: "list" as const, data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor }, 200);
    })
    .openapi(detail, async (c) => {
      const tenant = await getTenantDetail(getDb(), c.req.valid("query").mode, c.req.valid("param").id);
      if (!tenant) throw new AppError("not_found_error", "tenant_not_found", "No tenant with this id.");
      return c.json(tenant, 200);
    })
    .openapi(suspend, async (c) => {
      const tenant = await suspendTenant(
        getDb(),
        c.req.valid("param").id,
        c.req.valid("json"),
        { kind: "token" },
        requestContext(c.req.raw.headers),
      );
      return c.json(suspension(tenant), 200);
    })
    .openapi(unsuspend, async (c) => {
      const tenant = await unsuspendTenant(getDb(), c.req.valid("param").id, { kind: "token" }, requestContext(c.req.raw.headers));
      return c.json(suspension(tenant), 200);
    });
}
