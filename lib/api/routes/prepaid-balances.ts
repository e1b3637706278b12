// GET /api/v1/prepaid-balances (list), /api/v1/prepaid-balances/{id} (with its history),
// /api/v1/prepaid-balances/export (CSV) and /api/v1/stats/prepaid (outstanding balances
// and settled charges): the key's tenant and mode only.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { payerTokensCsv } from "../../prepaid/export";
import { getPayerToken } from "../../prepaid/queries/detail";
import { listPayerTokens, PAYER_TOKEN_SORTS, prepaidSummary } from "../../prepaid/queries/list";
import { PAYER_TOKEN_STATUSES } from "../../prepaid/queries/status";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses } from "../openapi";
import { safeText } from "../../schemas/text";

const msat = () => z.string().openapi({ example: "154000", description: "millisatoshis" });

const BalanceSchema = z
  .object({
    id: z.string().openapi({ example: "pb_3f9a0c…" }),
    endpoint: z.string(),
    status: z.enum(PAYER_TOKEN_STATUSES),
    balanceMsat: msat(),
    availableMsat: msat(),
    reservedMsat: msat(),
    depositedMsat: msat(),
    spentMsat: msat(),
    forfeitedMsat: msat(),
    charges: z.number().int(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
  })
  .openapi("PrepaidBalance");

const MovementSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["deposit", "top_up", "usage", "expiry"]),
    amountMsat: msat(),
    balanceAfterMsat: msat(),
    description: z.string().nullable(),
    paymentHash: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("PrepaidMovement");

const filters = {
  q: safeText().trim().max(100).optional().openapi({ description: "Part of the balance id, or the start of a deposit's payment hash" }),
  status: z.enum(PAYER_TOKEN_STATUSES).optional(),
  endpoint: safeText().max(400).optional().openapi({ example: "GET /llm" }),
  sort: z.enum(PAYER_TOKEN_SORTS).optional(),
};
const ListQuery = z.object({
  ...filters,
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: safeText().max(200).optional(),
});

const list = createRoute({
  method: "get",
  path: "/v1/prepaid-balances",
  summary: "List payer tokens: prepaid balances on metered endpoints",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { query: ListQuery },
  responses: {
    200: {
      description: "Balances",
      content: {
        "application/json": {
          schema: z.object({
            object: z.literal("list"),
            data: z.array(BalanceSchema),
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
  path: "/v1/prepaid-balances/export",
  summary: "Export payer tokens (outstanding prepaid balances) as CSV",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { query: z.object(filters) },
  responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...errorResponses },
});

const detail = createRoute({
  method: "get",
  path: "/v1/prepaid-balances/{id}",
  summary: "A payer token with its history (newest first) and running balance",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payments:read")] as const,
  request: { params: z.object({ id: safeText().max(100) }) },
  responses: {
    200: {
      description: "The balance",
      content: { "application/json": { schema: BalanceSchema.extend({ history: z.array(MovementSchema) }) } },
    },
    ...errorResponses,
  },
});

const summary = createRoute({
  method: "get",
  path: "/v1/stats/prepaid",
  summary: "Prepaid balances: outstanding (owed to payers) and settled charges (the owner's revenue)",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("stats:read")] as const,
  responses: {
    200: {
      description: "Totals for the key's mode",
      content: {
        "application/json": {
          schema: z
            .object({
              balances: z.number().int(),
              activeBalances: z.number().int(),
              outstandingMsat: msat(),
              depositedMsat: msat(),
              chargesMsat: msat(),
              charges: z.number().int(),
              forfeitedMsat: msat(),
            })
            .openapi("PrepaidStats"),
        },
      },
    },
    ...errorResponses,
  },
});

export function prepaidBalanceRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(summary, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      return c.json(await prepaidSummary(getDb(), tenantId, mode), 200);
    })
    .openapi(list, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const { q, ...query } = c.req.valid("query");
      const page = await listPayerTokens(getDb(), { tenantId, mode, search: q, ...query });
      return c.json({ object: "list" as const, data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor }, 200);
    })
    .openapi(exportRoute, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const { q, ...query } = c.req.valid("query");
      const csv = await payerTokensCsv(getDb(), { tenantId, mode, search: q, ...query });
      return c.body(csv, 200, { "content-type": "text/csv; charset=utf-8", "cache-control": "no-store" });
    })
    .openapi(detail, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const found = await getPayerToken(getDb(), { tenantId, mode }, c.req.valid("param").id);
      if (!found)
        throw new AppError("not_found_error", "prepaid_balance_not_found", "No prepaid balance with this id in your tenant and mode.");
      return c.json({ ...found.token, history: found.history }, 200);
    });
}
