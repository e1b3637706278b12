// Public routes for payers (no API key), so a payment page in the payer's browser can see
// its invoice paid and finish the call: the invoice's state by payment hash, and the
// preimage for the holder of the invoice's macaroon. Open to any origin (the page is
// served by the owner's API, not by us) and rate-limited per client address.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { requestContext } from "../../auth/request-context";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { payerInvoiceState, preimageForMacaroon } from "../../invoices/payer";
import { RateLimiter } from "../rate-limit";
import type { ApiEnv } from "../app";
import { ErrorSchema } from "../openapi";

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const error = (description: string) => ({ description, content: { "application/json": { schema: ErrorSchema } } });

const InvoiceStatus = z.object({ paymentHash: z.string(), state: z.enum(["pending", "paid", "expired"]) }).openapi("PublicInvoiceStatus");

const PreimageRequest = z
  .object({ macaroon: z.string().trim().min(1, "Send the invoice's macaroon (base64).").max(4096, "macaroon is 4096 characters at most.") })
  .openapi("PreimageRequest");

const Preimage = z
  .object({ paymentHash: z.string(), preimage: z.string().openapi({ description: "64 hex characters" }) })
  .openapi("Preimage");

const statusRoute = createRoute({
  method: "get",
  path: "/public/invoices/{paymentHash}",
  summary: "Whether an invoice is paid (public, for payment pages)",
  request: { params: z.object({ paymentHash: z.string().regex(HEX_64, "paymentHash is 64 hex characters.") }) },
  responses: {
    200: { description: "The invoice's state as the Lightning node sees it", content: { "application/json": { schema: InvoiceStatus } } },
    400: error("Not a payment hash"),
    404: error("No such invoice"),
    429: error("Rate limited; see Retry-After"),
    503: error("The Lightning node could not be asked; retry shortly"),
  },
});

const preimageRoute = createRoute({
  method: "post",
  path: "/public/l402/preimage",
  summary: "The preimage of a paid invoice, for the holder of its macaroon",
  description: "With the macaroon, the preimage completes the L402 credential `Authorization: L402 <macaroon>:<preimage>`.",
  request: { body: { content: { "application/json": { schema: PreimageRequest } }, required: true } },
  responses: {
    200: { description: "Paid: the preimage", content: { "application/json": { schema: Preimage } } },
    400: error("Not a macaroon"),
    403: error("Not a macaroon Tollbooth issued, or altered"),
    404: error("No such invoice"),
    409: error("The invoice is not paid yet (invoice_not_paid) or expired (invoice_expired)"),
    429: error("Rate limited; see Retry-After"),
    503: error("The Lightning node could not be asked; retry shortly"),
  },
});

/** Polling every 2 s is 0.5 requests/s per open page: the default leaves room for many payers behind one NAT.
 *  CORS preflights never get here (the cors middleware answers them). */
function perClientLimit(): MiddlewareHandler<ApiEnv> {
  const ratePerSecond = Number(process.env.PUBLIC_RATE_LIMIT_PER_SECOND ?? 10);
  const limiter = new RateLimiter({ ratePerSecond, burst: Number(process.env.PUBLIC_RATE_LIMIT_BURST ?? ratePerSecond * 6) });
  return async (c, next) => {
    c.header("Cache-Control", "no-store");
    const verdict = limiter.take(requestContext(c.req.raw.headers).ip ?? "unknown");
    c.header("RateLimit-Limit", String(verdict.limit));
    c.header("RateLimit-Remaining", String(verdict.remaining));
    c.header("RateLimit-Reset", String(verdict.resetSeconds));
    if (!verdict.allowed) {
      c.header("Retry-After", String(verdict.retryAfterSeconds));
      throw new AppError(
        "rate_limit_error",
        "rate_limited",
        `Too many requests from your address; retry in ${verdict.retryAfterSeconds} s.`,
      );
    }
    await next();
  };
}

export function payerRoutes() {
  const app = new OpenAPIHono<ApiEnv>();
  const limit = perClientLimit();
  const open = cors({
    origin: "*",
    allowMethods: ["GET", "POST"],
    allowHeaders: ["Content-Type"],
    exposeHeaders: ["Retry-After"],
    maxAge: 600,
  });
  for (const path of ["/public/invoices/*", "/public/l402/preimage"]) app.use(path, open, limit);
  return app
    .openapi(statusRoute, async (c) => c.json(await payerInvoiceState(getDb(), c.req.valid("param").paymentHash.toLowerCase()), 200))
    .openapi(preimageRoute, async (c) => c.json(await preimageForMacaroon(getDb(), c.req.valid("json").macaroon), 200));
}
