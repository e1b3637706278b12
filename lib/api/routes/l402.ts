import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { assertEnabled, endpointForRequest } from "../../endpoints/registry";
import { methodSchema } from "../../endpoints/schemas";
import { safeText } from "../../schemas/text";
import { issueInvoice, type TopUp } from "../../invoices/create";
import { verifyCredential } from "../../invoices/verify";
import { releaseUse } from "../../invoices/release";
import { settleCharge } from "../../prepaid/charge";
import type { AuthenticatedKey } from "../../keys/api-keys";
import { requireApiKey } from "../auth";
import type { ApiEnv } from "../app";
import { chargeChallenge } from "../budgets";
import { invoicesCreated, verifications } from "../../metrics/registry";
import { errorResponses, payerIpField } from "../openapi";
import { IssuedInvoiceSchema } from "./invoices";

const VerifyBody = z
  .object({
    authorization: z
      .string()
      .min(1)
      .max(16_384)
      .openapi({ example: "L402 AgEJdG9sbGJvb3Ro…:9f3c…", description: "The payer's Authorization header value." }),
    method: z
      .string({ error: "method is required: the payer's request method, like GET." })
      .openapi({ example: "GET", description: "The payer's request method. Required: a token is only held against the call it is for." })
      .pipe(methodSchema),
    path: z
      .string({ error: "path is required: the payer's request path, like /premium." })
      .max(2048)
      .startsWith("/", "path must start with /")
      .openapi({ example: "/premium", description: "The payer's request path (literal; the query is ignored)." }),
    payerIp: payerIpField,
  })
  .openapi("VerifyRequest");

const Valid = z
  .object({
    valid: z.literal(true),
    paymentHash: z.string(),
    amountSats: z.number().int(),
    endpoint: z.string(),
    remainingUses: z.number().int().nullable().openapi({ description: "null when the token allows unlimited calls until it expires" }),
    redemption: z
      .number()
      .int()
      .openapi({ description: "Which use of the token this was; quote it to /v1/l402/release if the call fails" }),
    metered: z
      .object({
        reservedMsat: z.string().openapi({ description: "Reserved for this call: settle it with /v1/l402/charge" }),
        balanceMsat: z.string().openapi({ description: "The prepaid balance before this call's charge" }),
      })
      .optional()
      .openapi({ description: "Metered endpoints only" }),
  })
  .openapi("VerifyValid");

const Invalid = z
  .object({
    valid: z.literal(false),
    error: z.object({ type: z.literal("payment_required"), code: z.string().openapi({ example: "used_up" }), message: z.string() }),
    challenge: z
      .string()
      .optional()
      .openapi({ description: "A fresh WWW-Authenticate challenge for the same endpoint, to send with the 402" }),
    freshInvoice: IssuedInvoiceSchema.optional().openapi({ description: "The invoice behind `challenge`, for the 402 body" }),
  })
  .openapi("VerifyInvalid");

const route = createRoute({
  method: "post",
  path: "/v1/l402/verify",
  summary: "Verify and redeem an L402 credential (exactly once per use)",
  security: [{ apiKey: [] }],
  // A paid verification spends no budget; a refused one spends a challenge (see budgets.ts).
  middleware: [requireApiKey("invoices:write", "none")] as const,
  request: { body: { content: { "application/json": { schema: VerifyBody } }, required: true } },
  responses: {
    200: { description: "Valid: serve the request", content: { "application/json": { schema: Valid } } },
    402: { description: "Not valid: answer 402 with the fresh challenge", content: { "application/json": { schema: Invalid } } },
    ...errorResponses,
  },
});

/** A fresh invoice for the endpoint the payer's request resolves to, so the 402 can be acted on. */
async function freshChallenge(key: AuthenticatedKey, method: string, path: string, topUp?: TopUp) {
  const db = getDb();
  try {
    const endpoint = await endpointForRequest(db, key.tenantId, method, path);
    return endpoint ? await issueInvoice(db, key, assertEnabled(endpoint), undefined, topUp) : undefined;
  } catch (error) {
    // Unknown or disabled endpoint: the 402 still says why, just without a new invoice.
    if (error instanceof AppError) return undefined;
    throw error;
  }
}

const ReleaseBody = z
  .object({
    paymentHash: z.string().regex(/^[0-9a-f]{64}$/, "paymentHash is 64 lower-case hex characters."),
    // Redemption numbers are a Postgres integer.
    redemption: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1, "redemption is at most 2147483647.")
      .openapi({ description: "The `redemption` number the verify call returned" }),
    status: z.number().int().min(100).max(599).optional().openapi({ description: "The status the protected handler answered" }),
    reason: safeText().max(500).optional(),
  })
  .openapi("ReleaseRequest");

const releaseRoute = createRoute({
  method: "post",
  path: "/v1/l402/release",
  summary: "Give back a use after the protected handler failed (paid but failed)",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("invoices:write")] as const,
  request: { body: { content: { "application/json": { schema: ReleaseBody } }, required: true } },
  responses: {
    200: {
      description: "Released, or already released by an earlier report",
      content: {
        "application/json": {
          schema: z.object({ released: z.boolean(), remainingUses: z.number().int().nullable().optional(), reason: z.string().optional() }),
        },
      },
    },
    404: { description: "No such redemption for your tenant" },
    ...errorResponses,
  },
});

const ChargeBody = z
  .object({
    paymentHash: z.string().regex(/^[0-9a-f]{64}$/, "paymentHash is 64 lower-case hex characters."),
    redemption: ReleaseBody.shape.redemption,
    amountMsat: z
      .string()
      .regex(/^\d{1,15}$/, "amountMsat is a whole number of millisatoshis as a decimal string (at most 15 digits).")
      .openapi({
        example: "154000",
        description: "What the call really cost; more than was reserved is cut to the reservation. 0 when the call failed.",
      }),
    description: safeText().max(200).optional().openapi({ example: "completion: 154 output tokens" }),
  })
  .openapi("ChargeRequest");

const chargeRoute = createRoute({
  method: "post",
  path: "/v1/l402/charge",
  summary: "Settle a metered call: charge what it cost, give the rest of its reservation back (once per redemption)",
  security: [{ apiKey: [] }],
  middleware: [requireApiKey("invoices:write")] as const,
  request: { body: { content: { "application/json": { schema: ChargeBody } }, required: true } },
  responses: {
    200: {
      description: "Settled now (applied: true), or earlier (applied: false, the first settle's amounts), or lapsed (reason: expired)",
      content: {
        "application/json": {
          schema: z
            .object({
              applied: z.boolean(),
              chargedMsat: z.string().optional(),
              balanceMsat: z.string().optional().openapi({ description: "The prepaid balance after this charge" }),
              reason: z.string().optional(),
            })
            .openapi("ChargeResult"),
        },
      },
    },
    404: { description: "No such reservation for your tenant" },
    ...errorResponses,
  },
});

export function l402Routes() {
  return new OpenAPIHono<ApiEnv>()
    .openapi(chargeRoute, async (c) => {
      const body = c.req.valid("json");
      const result = await settleCharge(getDb(), c.get("apiKey"), { ...body, amountMsat: BigInt(body.amountMsat) });
      if ("reason" in result) {
        if (result.reason === "not_found")
          throw new AppError("not_found_error", "reservation_not_found", "No such metered call of a token of yours.");
        return c.json({ applied: false, reason: result.reason }, 200);
      }
      return c.json(
        { applied: result.applied, chargedMsat: result.chargedMsat.toString(), balanceMsat: result.balanceMsat.toString() },
        200,
      );
    })
    .openapi(releaseRoute, async (c) => {
      const result = await releaseUse(getDb(), c.get("apiKey"), c.req.valid("json"));
      if (!result.released && result.reason === "not_found")
        throw new AppError("not_found_error", "redemption_not_found", "No such redemption of a token of yours.");
      return c.json(result, 200);
    })
    .openapi(route, async (c) => {
      const body = c.req.valid("json");
      const key = c.get("apiKey");
      const result = await verifyCredential(getDb(), key, body);
      verifications.inc({ mode: key.mode, result: result.valid ? "valid" : result.code });
      if (result.valid) return c.json(result, 200);
      await chargeChallenge(c, key, body.payerIp);
      // A balance too low for this call gets a top-up invoice: paying it adds to the same balance.
      const fresh = await freshChallenge(key, body.method, body.path, result.topUp);
      if (fresh) invoicesCreated.inc({ mode: key.mode });
      return c.json(
        {
          valid: false as const,
          error: { type: "payment_required" as const, code: result.code, message: result.message },
          ...(fresh ? { challenge: fresh.challenge, freshInvoice: fresh } : {}),
        },
        402,
      );
    });
}
