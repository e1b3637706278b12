// Where a payout's invoice comes from. A simulated node pays the simulated LNURL-pay
// server, in process (no HTTP, whatever host the address names): test mode always, live
// mode while LIGHTNING_BACKEND is simulated. Its invoices are the simulated node's own,
// marked as the payee's (external), so paying them is recorded like any payment and the
// node's balance goes down. A real node pays the real address over HTTPS.
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { LightningBackend } from "../lightning/backend";
import type { Bolt11Network } from "../lightning/bolt11";
import { parseLightningAddress, requestLnurlInvoice, resolveLightningAddress, type LnurlOptions, type PayRequest } from "./lnurl";
import { simulatedLnurlInvoice, simulatedPayRequest } from "./simulated-lnurl";

export interface PayoutInvoice {
  bolt11: string;
  paymentHash: string;
  payRequest: PayRequest;
}

/** Resolves the address and asks it for an invoice of exactly `amountMsat`, checked
 *  (min/max, amount, description hash): AppErrors say what is wrong. */
export async function requestPayoutInvoice(destination: string, amountMsat: bigint, lnurl: LnurlOptions): Promise<PayoutInvoice> {
  const options = { ...lnurl, param: "destination" };
  const payRequest = await resolveLightningAddress(destination, options);
  const invoice = await requestLnurlInvoice(payRequest, amountMsat, { ...options, comment: "Tollbooth payout" });
  return { ...invoice, payRequest };
}

/** The LNURL options a payout on `backend` uses (see the file comment). */
export function lnurlOptionsFor(db: Db, backend: LightningBackend, network: Bolt11Network, destination: string): LnurlOptions {
  if (backend.name !== "simulated") return {};
  const { host } = parseLightningAddress(destination, "destination");
  return { fetch: simulatedLnurlFetch(db, network), localHosts: [host] };
}

/** A fetch answered by the simulated LNURL-pay server, in process. */
export function simulatedLnurlFetch(db: Db, network: Bolt11Network): typeof fetch {
  return async (input) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
    const wellKnown = /^\/\.well-known\/lnurlp\/([^/]+)$/.exec(url.pathname);
    const callback = /^\/api\/dev\/lnurlp\/([^/]+)\/callback$/.exec(url.pathname);
    try {
      if (wellKnown) return Response.json(simulatedPayRequest({ user: decodeURIComponent(wellKnown[1]), origin: url.origin }));
      if (callback) {
        const target = { user: decodeURIComponent(callback[1]), origin: url.origin };
        return Response.json(await simulatedLnurlInvoice(db, target, url.searchParams.get("amount") ?? undefined, network));
      }
      return Response.json({ status: "ERROR", reason: "not found" }, { status: 404 });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return Response.json({ status: "ERROR", reason: error.message }, { status: error.status });
    }
  };
}
