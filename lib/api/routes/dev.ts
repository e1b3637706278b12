// The dev wallet: pays test-mode invoices of the simulated node and returns the preimage,
// so anyone can walk the whole L402 flow without a Lightning wallet. On in development
// unless DEV_WALLET=0; off in production unless DEV_WALLET=1 is set on purpose (a staging
// site that wants it). It never pays a live invoice, whatever the configuration.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { AppError } from "../../errors";
import { decodeInvoiceBasic } from "../../lightning/bolt11";
import { paySimulatedInvoice } from "../../lightning/simulated";
import type { ApiEnv } from "../app";
import { ErrorSchema } from "../openapi";

export { devWalletEnabled } from "../../dev/tools";

const PayBody = z.object({ invoice: z.string().trim().min(1, "Paste a BOLT11 invoice.").max(7089) }).openapi("DevPayRequest");
const Paid = z
  .object({ preimage: z.string(), paymentHash: z.string(), amountSats: z.number(), alreadyPaid: z.boolean() })
  .openapi("DevPayResult");

const route = createRoute({
  method: "post",
  path: "/dev/pay",
  summary: "Pay a test-mode invoice with the simulated node (development only)",
  request: { body: { content: { "application/json": { schema: PayBody } }, required: true } },
  responses: {
    200: { description: "Paid (or already paid: same preimage)", content: { "application/json": { schema: Paid } } },
    400: { description: "Invalid, expired or amountless invoice", content: { "application/json": { schema: ErrorSchema } } },
    403: { description: "A live invoice", content: { "application/json": { schema: ErrorSchema } } },
    404: { description: "Not issued by the simulated node", content: { "application/json": { schema: ErrorSchema } } },
  },
});

export async function assertNotLive(bolt11: string) {
  let paymentHash: string;
  let network: string;
  try {
    ({ paymentHash, network } = decodeInvoiceBasic(bolt11));
  } catch (error) {
    throw new AppError("invalid_request_error", "invalid_invoice", `Not a valid BOLT11 invoice: ${(error as Error).message}`, {
      param: "invoice",
    });
  }
  const issued = await getDb().invoice.findUnique({ where: { paymentHash }, select: { mode: true } });
  if (network === "mainnet" || issued?.mode === "live") {
    throw new AppError(
      "permission_error",
      "live_invoice",
      "The dev wallet never pays live invoices. Pay it with a real Lightning wallet.",
      { param: "invoice" },
    );
  }
}

export function devRoutes() {
  return new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
    const { invoice } = c.req.valid("json");
    await assertNotLive(invoice);
    const paid = await paySimulatedInvoice(getDb(), invoice);
    return c.json(
      {
        preimage: paid.preimage,
        paymentHash: paid.paymentHash,
        amountSats: Number(paid.amountMsat / 1000n),
        alreadyPaid: paid.alreadyPaid,
      },
      200,
    );
  });
}
