// The simulated LNURL-pay server (lib/payouts/simulated-lnurl.ts) on the app's own host:
// GET /.well-known/lnurlp/:user and its callback. Mounted only while simulatedLnurlEnabled()
// (server.ts sends /.well-known/lnurlp/ here then). Not part of the REST API, so not in the
// OpenAPI document. Errors use LUD-06's own shape, {status:"ERROR", reason}.
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { simulatedLnurlInvoice, simulatedPayRequest } from "../../payouts/simulated-lnurl";
import type { ApiEnv } from "../app";

export const LNURLP_PREFIX = "/.well-known/lnurlp/";

function lud06Error(c: Context, error: unknown) {
  if (!(error instanceof AppError)) throw error;
  return c.json({ status: "ERROR", reason: error.message }, error.status as ContentfulStatusCode);
}

export function lnurlpRoutes() {
  return new Hono<ApiEnv>()
    .get("/.well-known/lnurlp/:user", (c) => {
      try {
        return c.json(simulatedPayRequest({ user: c.req.param("user"), origin: new URL(c.req.url).origin }));
      } catch (error) {
        return lud06Error(c, error);
      }
    })
    .get("/api/dev/lnurlp/:user/callback", async (c) => {
      try {
        const network = c.req.query("network") === "mainnet" ? "mainnet" : "testnet";
        const target = { user: c.req.param("user"), origin: new URL(c.req.url).origin };
        return c.json(await simulatedLnurlInvoice(getDb(), target, c.req.query("amount"), network));
      } catch (error) {
        return lud06Error(c, error);
      }
    });
}
