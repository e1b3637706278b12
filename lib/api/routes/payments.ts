// GET /api/v1/payments (list), /api/v1/payments/export (CSV or NDJSON, streamed) and
// /api/v1/payments/{paymentHash}: the key's tenant and mode only.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { getPayment, listPayments } from "../../stats";
import { streamPayments } from "../../stats/export";
import { paymentExportQuerySchema, paymentHashParamSchema, paymentListQuerySchema } from "../../stats/schemas";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { PaymentDetailSchema, PaymentRowSchema } from "./stats-schemas";

const list = createRoute({
  method: "get",
  path: "/v1/payments",
  summary: "List settled payments, newest first",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { query: paymentListQuerySchema },
  responses: {
    200: {
      description: "Payments",
      content: {
        "application/json": {
          schema: z.object({
            object: z.literal("list"),
            data: z.array(PaymentRowSchema),
            has_more: z.boolean(),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/v1/payments/export",
  summary: "Export settled payments as CSV or NDJSON (streamed)",
  description:
    "Every payment matching the filters; UTC ISO 8601 timestamps; amount, fee and net in sats and msat. CSV cells that a spreadsheet would run as a formula start with an apostrophe.",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { query: paymentExportQuerySchema },
  responses: {
    200: {
      description: "The payments",
      content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } },
    },
    ...errorResponses,
  },
});

const detail = createRoute({
  method: "get",
  path: "/v1/payments/{paymentHash}",
  summary: "A payment with its invoice, token, ledger entry and failed calls",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { params: paymentHashParamSchema },
  responses: {
    200: { description: "The payment", content: { "application/json": { schema: PaymentDetailSchema } } },
    404: { description: "No such payment for this key's tenant and mode" },
    ...errorResponses,
  },
});

export function paymentRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(list, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const page = await listPayments(getDb(), { tenantId, mode, ...c.req.valid("query") });
      return c.json({ object: "list" as const, data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor }, 200);
    })
    .openapi(exportRoute, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const { format, ...filters } = c.req.valid("query");
      const filename = `payments-${mode}-${new Date().toISOString().slice(0, 10)}.${format === "csv" ? "csv" : "ndjson"}`;
      return c.body(streamPayments(getDb(), { tenantId, mode, ...filters }, format), 200, {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      });
    })
    .openapi(detail, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      return c.json(await getPayment(getDb(), { tenantId, mode, paymentHash: c.req.valid("param").paymentHash }), 200);
    });
}
