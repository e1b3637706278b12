import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { discoveryDocument } from "../../tenants/discovery";
import { qrSvg, qrTextSchema } from "../../qr/svg";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";

const Discovery = z
  .object({
    version: z.literal(1),
    protocol: z.literal("L402"),
    tenant: z.object({ name: z.string(), slug: z.string(), logoUrl: z.string().nullable(), accentColor: z.string().nullable() }),
    endpoints: z.array(
      z.object({
        method: z.string(),
        path: z.string(),
        priceSats: z.number().int(),
        description: z.string().nullable(),
        usesPerPayment: z.number().int(),
        tokenLifetimeSeconds: z.number().int(),
      }),
    ),
    payment: z.object({ currency: z.literal("BTC"), unit: z.literal("sats"), network: z.literal("lightning"), howToPay: z.string() }),
  })
  .openapi("Discovery");

const own = createRoute({
  method: "get",
  path: "/v1/discovery",
  summary: "Your tenant's discovery document (priced endpoints and branding)",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("invoices:write")] as const,
  responses: { 200: { description: "Discovery document", content: { "application/json": { schema: Discovery } } }, ...errorResponses },
});

const pub = createRoute({
  method: "get",
  path: "/public/tenants/{slug}/l402.json",
  summary: "A tenant's public discovery document",
  request: {
    params: z.object({
      slug: z
        .string()
        .min(1)
        .max(80)
        .regex(/^[a-z0-9-]+$/, "slug is lower-case letters, digits and dashes."),
    }),
  },
  responses: {
    200: { description: "Discovery document", content: { "application/json": { schema: Discovery } } },
    404: { description: "No such tenant" },
  },
});

const qr = createRoute({
  method: "get",
  path: "/v1/qr.svg",
  summary: "A QR code (SVG) for an invoice, for payment pages",
  request: { query: z.object({ data: qrTextSchema }) },
  responses: { 200: { description: "SVG image", content: { "image/svg+xml": { schema: z.string() } } }, 400: errorResponses[400] },
});

export function discoveryRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(own, async (c) => {
      const doc = await discoveryDocument(getDb(), { id: c.get("apiKey").tenantId });
      return c.json(doc!, 200);
    })
    .openapi(pub, async (c) => {
      const doc = await discoveryDocument(getDb(), { slug: c.req.valid("param").slug });
      if (!doc) throw new AppError("not_found_error", "tenant_not_found", "No tenant with this slug.");
      c.header("Cache-Control", "public, max-age=60");
      c.header("Access-Control-Allow-Origin", "*");
      return c.json(doc, 200);
    })
    .openapi(qr, (c) => {
      // Same input, same image: let browsers and CDNs keep it.
      c.header("Cache-Control", "public, max-age=86400, immutable");
      c.header("Access-Control-Allow-Origin", "*");
      return c.body(qrSvg(c.req.valid("query").data), 200, { "Content-Type": "image/svg+xml" });
    });
}
