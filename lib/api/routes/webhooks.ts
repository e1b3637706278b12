// Webhook endpoints by API (scope webhooks:write), in the key's tenant and mode: the same
// domain functions as the dashboard, so the same rules, audit events and 404s for ids that
// are not the key's.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { WEBHOOK_EVENT_TYPES } from "../../webhooks/event-types";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  findEndpointOr404,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "../../webhooks/endpoints";
import { redeliver, sendTestEvent } from "../../webhooks/manual";
import { listDeliveries, listWebhookEndpoints } from "../../webhooks/queries";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { safeText } from "../../schemas/text";
import { WebhookDeliverySchema, WebhookEndpointSchema, shapeDelivery, shapeEndpoint } from "./webhook-shapes";

const auth = { security: [{ apiKey: [] }], middleware: requireApiKey("webhooks:write") };
const idParam = z.object({ id: safeText().min(1).max(64) });
const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const ok = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { "application/json": { schema } } });
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1);
const WithSecret = WebhookEndpointSchema.extend({ secret: z.string().openapi({ description: "Shown once" }) });

const routes = {
  list: createRoute({
    method: "get",
    path: "/v1/webhook-endpoints",
    summary: "List webhook endpoints",
    ...auth,
    responses: { 200: ok("Endpoints", listOf(WebhookEndpointSchema)), ...errorResponses },
  }),
  create: createRoute({
    method: "post",
    path: "/v1/webhook-endpoints",
    summary: "Add a webhook endpoint (the signing secret is in this answer only)",
    ...auth,
    request: { body: json(z.object({ url: z.string().max(2000), description: z.string().max(200).optional(), events })) },
    responses: { 201: ok("Created", WithSecret), ...errorResponses },
  }),
  get: createRoute({
    method: "get",
    path: "/v1/webhook-endpoints/{id}",
    summary: "A webhook endpoint",
    ...auth,
    request: { params: idParam },
    responses: { 200: ok("Endpoint", WebhookEndpointSchema), ...errorResponses },
  }),
  update: createRoute({
    method: "patch",
    path: "/v1/webhook-endpoints/{id}",
    summary: "Change URL, description, events, or enable/disable",
    ...auth,
    request: {
      params: idParam,
      body: json(
        z.object({
          url: z.string().max(2000).optional(),
          description: z.string().max(200).optional(),
          events: events.optional(),
          enabled: z.boolean().optional(),
        }),
      ),
    },
    responses: { 200: ok("Updated", WebhookEndpointSchema), ...errorResponses },
  }),
  remove: createRoute({
    method: "delete",
    path: "/v1/webhook-endpoints/{id}",
    summary: "Delete a webhook endpoint",
    ...auth,
    request: { params: idParam },
    responses: { 200: ok("Deleted", z.object({ id: z.string(), deleted: z.literal(true) })), ...errorResponses },
  }),
  rotate: createRoute({
    method: "post",
    path: "/v1/webhook-endpoints/{id}/rotate-secret",
    summary: "New signing secret; the old one also signs for graceHours (default 24)",
    ...auth,
    request: {
      params: idParam,
      body: {
        content: { "application/json": { schema: z.object({ graceHours: z.number().int().min(0).max(168).optional() }) } },
        required: false,
      },
    },
    responses: { 200: ok("Rotated", WithSecret), ...errorResponses },
  }),
  test: createRoute({
    method: "post",
    path: "/v1/webhook-endpoints/{id}/test",
    summary: "Send a test event (data.test = true) to this endpoint",
    ...auth,
    request: {
      params: idParam,
      body: { content: { "application/json": { schema: z.object({ type: z.enum(WEBHOOK_EVENT_TYPES).optional() }) } }, required: false },
    },
    responses: { 202: ok("Queued", WebhookDeliverySchema), ...errorResponses },
  }),
  deliveries: createRoute({
    method: "get",
    path: "/v1/webhook-endpoints/{id}/deliveries",
    summary: "An endpoint's deliveries, newest first",
    ...auth,
    request: {
      params: idParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(64).optional() }),
    },
    responses: { 200: ok("Deliveries", listOf(WebhookDeliverySchema)), ...errorResponses },
  }),
  redeliver: createRoute({
    method: "post",
    path: "/v1/webhook-deliveries/{id}/redeliver",
    summary: "Send a delivery again now",
    ...auth,
    request: { params: idParam },
    responses: { 202: ok("Queued", z.object({ id: z.string(), queued: z.literal(true) })), ...errorResponses },
  }),
};

export function webhookRoutes() {
  const scope = (c: { get(name: "apiKey"): { tenantId: string; mode: "test" | "live" } }) => ({
    tenantId: c.get("apiKey").tenantId,
    mode: c.get("apiKey").mode,
  });
  // The audit log names the actor; an API call has no person, so it says which key.
  const who = (c: { get(name: "apiKey"): { id: string } }) => ({ actorLabel: `API key ${c.get("apiKey").id}` });
  return new OpenAPIHono<ApiEnv>()
    .openapi(routes.list, async (c) => {
      // Tens of endpoints per tenant at most: one page.
      const endpoints = await listWebhookEndpoints(getDb(), scope(c));
      return c.json({ object: "list" as const, data: endpoints.map(shapeEndpoint), has_more: false, next_cursor: null }, 200);
    })
    .openapi(routes.create, async (c) => {
      const { endpoint, secret } = await createWebhookEndpoint(getDb(), scope(c), c.req.valid("json"), who(c));
      return c.json({ ...shapeEndpoint(endpoint), secret }, 201);
    })
    .openapi(routes.get, async (c) => c.json(shapeEndpoint(await findEndpointOr404(getDb(), scope(c), c.req.valid("param").id)), 200))
    .openapi(routes.update, async (c) => {
      const { id } = c.req.valid("param");
      const { enabled, ...changes } = c.req.valid("json");
      const db = getDb();
      let endpoint = await findEndpointOr404(db, scope(c), id);
      if (Object.keys(changes).length) endpoint = await updateWebhookEndpoint(db, scope(c), id, changes, who(c));
      if (enabled !== undefined && enabled !== endpoint.enabled)
        endpoint = await setWebhookEndpointEnabled(db, scope(c), id, enabled, who(c));
      return c.json(shapeEndpoint(endpoint), 200);
    })
    .openapi(routes.remove, async (c) => {
      const removed = await deleteWebhookEndpoint(getDb(), scope(c), c.req.valid("param").id, who(c));
      return c.json({ id: removed.id, deleted: true as const }, 200);
    })
    .openapi(routes.rotate, async (c) => {
      const body = await c.req.json().catch(() => ({}));
      const { endpoint, secret } = await rotateWebhookSecret(getDb(), scope(c), c.req.valid("param").id, body, who(c));
      return c.json({ ...shapeEndpoint(endpoint), secret }, 200);
    })
    .openapi(routes.test, async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { type?: string };
      const { event, delivery } = await sendTestEvent(getDb(), scope(c), c.req.valid("param").id, body?.type, who(c));
      return c.json(shapeDelivery({ ...delivery, event }), 202);
    })
    .openapi(routes.deliveries, async (c) => {
      const db = getDb();
      const endpoint = await findEndpointOr404(db, scope(c), c.req.valid("param").id);
      const { limit, cursor } = c.req.valid("query");
      const page = await listDeliveries(db, scope(c), endpoint.id, { limit, startingAfter: cursor });
      return c.json(
        { object: "list" as const, data: page.data.map(shapeDelivery), has_more: page.hasMore, next_cursor: page.nextCursor },
        200,
      );
    })
    .openapi(routes.redeliver, async (c) => {
      const delivery = await redeliver(getDb(), scope(c), c.req.valid("param").id, who(c));
      return c.json({ id: delivery.id, queued: true as const }, 202);
    });
}
