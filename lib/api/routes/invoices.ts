import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { descriptionSchema, endpointLabelSchema, priceSatsSchema } from "../../endpoints/schemas";
import { createInvoice, type IssuedInvoice } from "../../invoices/create";
import { findInvoice } from "../../invoices/lookup";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { chargeChallenge } from "../budgets";
import { invoicesCreated } from "../../metrics/registry";
import { ErrorSchema, errorResponses, payerIpField } from "../openapi";

const CreateInvoiceBody = z
  .object({
    endpoint: z.string().trim().min(1).max(400).openapi({
      example: "GET /premium/*",
      description:
        "`METHOD /pattern` that your code protects (a mount path like `/premium/*`, a route like `/users/:id`), or a registered endpoint's id. Registered as a discovered endpoint when nothing registered serves the request and `priceSats` is sent.",
    }),
    path: z.string().max(2048).startsWith("/", "path must start with /").optional().openapi({
      example: "/premium/report-42",
      description:
        "The payer's request path (literal, never a pattern): the invoice is for the endpoint it resolves to. Without it, `endpoint` itself is looked up.",
    }),
    priceSats: priceSatsSchema.optional().openapi({
      example: 10,
      description: "Registers an unknown endpoint with this price. A registered endpoint's own price always wins.",
    }),
    dynamicPrice: z.boolean().optional().openapi({
      description: "The code priced this one request: a discovered endpoint charges priceSats on this invoice without storing it.",
    }),
    description: descriptionSchema
      .optional()
      .openapi({ description: "Invoice description shown in the payer's wallet: at most 500 characters and 639 bytes of UTF-8." }),
    payerIp: payerIpField,
  })
  .openapi("CreateInvoiceRequest");

export const IssuedInvoiceSchema = z
  .object({
    paymentHash: z.string().openapi({ example: "4f2c…" }),
    invoice: z.string().openapi({ description: "BOLT11 payment request" }),
    macaroon: z.string().openapi({ description: "Base64 V2 macaroon (the L402 token)" }),
    amountSats: z.number().int(),
    expiresAt: z.string().openapi({ format: "date-time" }),
    challenge: z.string().openapi({ description: "The exact WWW-Authenticate value to send with the 402" }),
    endpoint: z.string().openapi({ example: "GET /premium" }),
    prepaid: z
      .object({
        kind: z.enum(["deposit", "top_up"]),
        balanceMsat: z.string().openapi({ description: "The prepaid balance now, carried over by a top-up (msat)" }),
        maxCostPerCallSats: z.number().int().nullable(),
      })
      .optional()
      .openapi({ description: "Metered endpoints: the invoice is a deposit, or a top-up of an existing balance" }),
  })
  .openapi("Invoice");
// The schema documents the one IssuedInvoice type (@tollbooth/l402's, which the middleware
// reads): a field in one and not the other fails the type check.
const issuedInvoiceSchemaMatchesType: [z.infer<typeof IssuedInvoiceSchema>, IssuedInvoice] extends [
  IssuedInvoice,
  z.infer<typeof IssuedInvoiceSchema>,
]
  ? true
  : never = true;
void issuedInvoiceSchemaMatchesType;

const InvoiceStateSchema = z
  .object({
    paymentHash: z.string(),
    state: z.enum(["pending", "paid", "expired"]),
    amountSats: z.number().int(),
    amountMsat: z.string(),
    invoice: z.string(),
    endpoint: z.string().nullable(),
    mode: z.enum(["test", "live"]),
    createdAt: z.string(),
    expiresAt: z.string(),
    settledAt: z.string().nullable(),
    token: z
      .object({ usesAllowed: z.number().int(), usesConsumed: z.number().int(), validUntil: z.string(), revoked: z.boolean() })
      .nullable(),
  })
  .openapi("InvoiceState");

const createRouteDef = createRoute({
  method: "post",
  path: "/v1/invoices",
  summary: "Create an invoice and its L402 token",
  security: [{ apiKey: [] }],
  // An unpaid request: it spends the payer's challenge budget, never the key's general one.
  middleware: [requireApiKey("invoices:write", "none")] as const,
  request: { body: { content: { "application/json": { schema: CreateInvoiceBody } }, required: true } },
  responses: { 201: { description: "Created", content: { "application/json": { schema: IssuedInvoiceSchema } } }, ...errorResponses },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/v1/invoices/{paymentHash}",
  summary: "An invoice's state",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { params: z.object({ paymentHash: z.string().regex(/^[0-9a-f]{64}$/i, "paymentHash is 64 hex characters.") }) },
  responses: {
    200: { description: "The invoice", content: { "application/json": { schema: InvoiceStateSchema } } },
    404: { description: "Not found", content: { "application/json": { schema: ErrorSchema } } },
    ...errorResponses,
  },
});

/** "GET /premium" or an endpoint id. */
function endpointTarget(endpoint: string) {
  if (/^[A-Za-z]+ \//.test(endpoint)) {
    const label = endpointLabelSchema.safeParse(endpoint);
    if (!label.success)
      throw new AppError("invalid_request_error", "invalid_parameter", `endpoint: ${label.error.issues[0].message}`, { param: "endpoint" });
    return label.data;
  }
  if (!/^[a-z0-9]{8,64}$/.test(endpoint))
    throw new AppError(
      "invalid_request_error",
      "invalid_parameter",
      'endpoint must be "METHOD /path" (like "GET /premium") or an endpoint id.',
      { param: "endpoint" },
    );
  return { endpointId: endpoint };
}

export function invoiceRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(createRouteDef, async (c) => {
      const body = c.req.valid("json");
      await chargeChallenge(c, c.get("apiKey"), body.payerIp);
      const issued = await createInvoice(getDb(), c.get("apiKey"), {
        ...endpointTarget(body.endpoint),
        requestPath: body.path,
        priceSats: body.priceSats,
        dynamicPrice: body.dynamicPrice,
        description: body.description,
      });
      invoicesCreated.inc({ mode: c.get("apiKey").mode });
      return c.json(issued, 201);
    })
    .openapi(getRouteDef, async (c) => {
      const invoice = await findInvoice(getDb(), c.get("apiKey"), c.req.valid("param").paymentHash.toLowerCase());
      if (!invoice)
        throw new AppError("not_found_error", "invoice_not_found", "No invoice with this payment hash in your tenant and this key's mode.");
      return c.json(invoice, 200);
    });
}
