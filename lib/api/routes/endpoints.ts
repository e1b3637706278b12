import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { createEndpoint, listEndpoints, updateEndpoint, type EndpointRecord } from "../../endpoints/registry";
import { endpointInputSchema, endpointUpdateSchema } from "../../endpoints/schemas";
import { safeText } from "../../schemas/text";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";

const EndpointSchema = z
  .object({
    id: z.string(),
    method: z.string().openapi({ example: "GET" }),
    path: z.string().openapi({ example: "/premium" }),
    priceSats: z.number().int(),
    description: z.string().nullable(),
    enabled: z.boolean(),
    tokenLifetimeSeconds: z.number().int(),
    usesPerPayment: z.number().int().openapi({ description: "0 = unlimited calls until the token expires" }),
    discovered: z.boolean().openapi({ description: "Registered by an invoice request that declared a price" }),
    pricingMode: z.enum(["fixed", "metered"]).openapi({ description: "metered: priceSats is a deposit that opens a prepaid balance" }),
    maxCostPerCallSats: z.number().int().nullable().openapi({ description: "Metered: reserved per call; null = the whole balance" }),
    balanceExpiry: z
      .enum(["owner", "never"])
      .openapi({ description: "Metered: a balance left at expiry is the owner's, or it never expires" }),
    dynamicPrice: z.boolean().openapi({ description: "The code prices each request (a priceSats function)" }),
  })
  .openapi("Endpoint");

const shape = (e: EndpointRecord) => ({
  id: e.id,
  method: e.method,
  path: e.path,
  priceSats: e.priceSats,
  description: e.description,
  enabled: e.enabled,
  tokenLifetimeSeconds: e.tokenLifetimeSeconds,
  usesPerPayment: e.usesPerPayment,
  discovered: e.discovered,
  pricingMode: e.pricingMode as "fixed" | "metered",
  maxCostPerCallSats: e.maxCostPerCallSats,
  balanceExpiry: e.balanceExpiry as "owner" | "never",
  dynamicPrice: e.dynamicPrice,
});

const list = createRoute({
  method: "get",
  path: "/v1/endpoints",
  summary: "List your priced endpoints",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("endpoints:write")] as const,
  responses: {
    200: {
      description: "Endpoints",
      content: {
        "application/json": {
          schema: z.object({
            object: z.literal("list"),
            data: z.array(EndpointSchema),
            has_more: z.boolean(),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...errorResponses,
  },
});
const create = createRoute({
  method: "post",
  path: "/v1/endpoints",
  summary: "Register a priced endpoint",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("endpoints:write")] as const,
  request: { body: { content: { "application/json": { schema: endpointInputSchema } }, required: true } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: EndpointSchema } } },
    409: { description: "Already registered" },
    ...errorResponses,
  },
});
const update = createRoute({
  method: "patch",
  path: "/v1/endpoints/{id}",
  summary: "Change price, lifetime, uses or description",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("endpoints:write")] as const,
  request: {
    params: z.object({ id: safeText().min(1).max(64) }),
    body: { content: { "application/json": { schema: endpointUpdateSchema } }, required: true },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: EndpointSchema } } },
    404: { description: "Not found" },
    ...errorResponses,
  },
});

export function endpointRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(list, async (c) => {
      const endpoints = await listEndpoints(getDb(), c.get("apiKey").tenantId);
      // A tenant has tens of endpoints, not thousands: one page holds them all.
      return c.json({ object: "list" as const, data: endpoints.map(shape), has_more: false, next_cursor: null }, 200);
    })
    .openapi(create, async (c) => c.json(shape(await createEndpoint(getDb(), c.get("apiKey").tenantId, c.req.valid("json"))), 201))
    .openapi(update, async (c) =>
      c.json(shape(await updateEndpoint(getDb(), c.get("apiKey").tenantId, c.req.valid("param").id, c.req.valid("json"))), 200),
    );
}
