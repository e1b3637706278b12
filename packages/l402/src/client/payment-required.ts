/**
 * What a 402 asks for: the L402 challenge(s) from WWW-Authenticate and, from the JSON
 * body Tollbooth (and l402-kit) send, the advertised priceSats.
 */
import { parseL402Challenges, toL402Challenge, type L402Challenge } from "./challenge.js";
import { readJsonBody } from "./http-json.js";

export interface PaymentRequired {
  /** In server order; [] when none was readable. */
  challenges: L402Challenge[];
  /** `priceSats` from the JSON body, when it has one. */
  advertisedSats?: number;
  /** A metered endpoint's 402: the invoice is a deposit or a top-up (the balance carries over). */
  prepaid?: "deposit" | "top_up";
}

/** Consumes the 402's body. */
export async function readPaymentRequired(response: Response): Promise<PaymentRequired> {
  const challenges = parseL402Challenges(response.headers.get("www-authenticate"));
  const body = (await readJsonBody(response)) as
    | { priceSats?: unknown; macaroon?: unknown; invoice?: unknown; prepaid?: { kind?: unknown } }
    | undefined;
  const priceSats = body?.priceSats;
  const advertisedSats = typeof priceSats === "number" && Number.isFinite(priceSats) ? priceSats : undefined;
  // In a browser, a cross-origin 402 whose server forgot Access-Control-Expose-Headers hides
  // WWW-Authenticate; the JSON body carries the same macaroon and invoice, so fall back to it.
  if (challenges.length === 0 && body) {
    const fromBody = toL402Challenge({ scheme: "L402", macaroon: body.macaroon, invoice: body.invoice });
    if (fromBody) challenges.push(fromBody);
  }
  const kind = body?.prepaid?.kind;
  return {
    challenges,
    ...(advertisedSats !== undefined ? { advertisedSats } : {}),
    ...(kind === "deposit" || kind === "top_up" ? { prepaid: kind } : {}),
  };
}
