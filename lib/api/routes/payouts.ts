// GET /api/v1/payouts (list), GET /api/v1/payouts/{id}, POST /api/v1/payouts (pay out
// now, Idempotency-Key honoured): the key's tenant and mode only.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { payoutJson } from "../../payouts/json";
import { getPayout, listPayouts, MAX_PAYOUT_PAGE } from "../../payouts/queries/list";
import { requestPayout } from "../../payouts/request";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { errorResponses, ErrorSchema } from "../openapi";

const PayoutSchema = z
  .object({
    id: z.string(),
    object: z.literal("payout"),
    mode: z.enum(["test", "live"]),
    state: z.enum(["pending", "sending", "succeeded", "failed"]).openapi({
      description:
        "pending: money set aside, invoice not paid yet (or retrying); sending: invoice paid or being paid; then succeeded or failed (money back to available).",
    }),
    trigger: z.enum(["threshold", "sweep", "manual", "api"]),
    amountSats: z.number().int(),
    amountMsat: z.string(),
    feeMsat: z.string().nullable().openapi({ description: "Routing fee paid (by the platform), once succeeded." }),
    maxFeeMsat: z.string(),
    destination: z.string().openapi({ example: "you@getalby.com" }),
    paymentHash: z.string().nullable(),
    failureCode: z.string().nullable(),
    failureReason: z.string().nullable().openapi({ description: "Why the last attempt failed (also while retrying)." }),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("Payout");

const list = createRoute({
  method: "get",
  path: "/v1/payouts",
  summary: "List payouts, newest first",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payouts:read")] as const,
  request: {
    query: z.object({
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(MAX_PAYOUT_PAGE)
        .default(20)
        .openapi({ description: `At most ${MAX_PAYOUT_PAGE}.` }),
      cursor: z.string().max(200).optional().openapi({ description: "next_cursor of the previous page." }),
      state: z.enum(["pending", "sending", "succeeded", "failed"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "Payouts",
      content: {
        "application/json": {
          schema: z.object({
            object: z.literal("list"),
            data: z.array(PayoutSchema),
            has_more: z.boolean(),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

const detail = createRoute({
  method: "get",
  path: "/v1/payouts/{id}",
  summary: "A payout",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payouts:read")] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: { description: "The payout", content: { "application/json": { schema: PayoutSchema } } },
    404: { description: "No such payout for this key's tenant and mode", content: { "application/json": { schema: ErrorSchema } } },
    ...errorResponses,
  },
});

const create = createRoute({
  method: "post",
  path: "/v1/payouts",
  summary: "Pay out now to the Lightning address",
  description:
    "Pays the available balance (or `amountSats` of it) to the workspace's Lightning address. Send an `Idempotency-Key` header: the same key with the same body answers with the same payout (made once, `Idempotent-Replayed: true`); the same key with another body is refused with 422.",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("payouts:write")] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional().openapi({ description: "Up to 255 printable characters." }) }),
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z.object({
            amountSats: z.number().int().positive().optional().openapi({ description: "Default: all that is available." }),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: "The payout (made now, or the one this Idempotency-Key made)",
      content: { "application/json": { schema: PayoutSchema } },
    },
    409: {
      description: "No Lightning address, payouts on hold after an address change, or a payout already in progress",
      content: { "application/json": { schema: ErrorSchema } },
    },
    422: { description: "Idempotency-Key reused with another request", content: { "application/json": { schema: ErrorSchema } } },
    ...errorResponses,
  },
});

export function payoutRoutes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(list, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      const page = await listPayouts(getDb(), { tenantId, mode, ...c.req.valid("query") });
      return c.json(
        { object: "list" as const, data: page.data.map(payoutJson), has_more: page.hasMore, next_cursor: page.nextCursor },
        200,
      );
    })
    .openapi(detail, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      return c.json(payoutJson(await getPayout(getDb(), { tenantId, mode, id: c.req.valid("param").id })), 200);
    })
    .openapi(create, async (c) => {
      const { tenantId, mode } = c.get("apiKey");
      // The body is parsed by the domain (strict: unknown fields refused); empty means {}.
      const text = await c.req.text();
      let body: unknown = {};
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      const { payout, created } = await requestPayout(getDb(), {
        tenantId,
        mode,
        trigger: "api",
        body,
        idempotencyKey: c.req.header("idempotency-key"),
      });
      if (!created) c.header("Idempotent-Replayed", "true");
      return c.json(payoutJson(payout), 201);
    });
}
