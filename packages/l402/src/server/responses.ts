/**
 * The answers the middleware itself gives, as plain {status, headers, body} so both
 * adapters (fetch Response, Node res) send byte-identical answers.
 */
import { newNonce, paymentPageCsp, renderPaymentPage } from "./payment-page.js";
import type { DiscoveryDocument, IssuedInvoice } from "./service-types.js";

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RefusalReason {
  code: string;
  message: string;
}

const JSON_TYPE = "application/json; charset=utf-8";
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Browsers navigating get HTML; API clients (and anything that asks for JSON) get JSON. */
export function wantsHtml(accept: string | null | undefined): boolean {
  const value = (accept ?? "").toLowerCase();
  return value.includes("text/html") && !value.includes("application/json");
}

/** The 402: the service's challenge verbatim, and the body payers and l402-kit read. */
export function paymentRequired(params: {
  issued: IssuedInvoice;
  reason?: RefusalReason;
  html?: { baseUrl: string; method: string; branding?: DiscoveryDocument["tenant"] };
}): PlainResponse {
  const { issued, reason, html } = params;
  const headers: Record<string, string> = {
    "WWW-Authenticate": issued.challenge,
    "Cache-Control": "no-store",
    "Access-Control-Expose-Headers": "WWW-Authenticate",
  };
  if (html) {
    const nonce = newNonce();
    if (nonce) headers["Content-Security-Policy"] = paymentPageCsp(nonce, html.baseUrl);
    headers["Content-Type"] = "text/html; charset=utf-8";
    return {
      status: 402,
      headers,
      body: renderPaymentPage({ issued, baseUrl: html.baseUrl, method: html.method, branding: html.branding, reason }, nonce),
    };
  }
  headers["Content-Type"] = JSON_TYPE;
  const body = {
    error: "Payment Required",
    priceSats: issued.amountSats,
    invoice: issued.invoice,
    macaroon: issued.macaroon,
    paymentHash: issued.paymentHash,
    expiresAt: issued.expiresAt,
    // Metered: a deposit or top-up, and the balance it carries over (an agent plans by it).
    balanceMsat: issued.prepaid?.balanceMsat,
    prepaid: issued.prepaid,
    ...(reason ? { reason } : {}),
  };
  return { status: 402, headers, body: JSON.stringify(body) };
}

/**
 * Fail closed: the payment state is unknown, so nothing is served; the caller may retry
 * shortly. With `payerLimited`, 429: the service refused this payer more challenges (too
 * many unpaid calls from its address), and only this payer waits.
 */
export function serviceUnavailable(retryAfter = UNAVAILABLE_RETRY_AFTER_SECONDS, payerLimited?: boolean): PlainResponse {
  const answer = payerLimited
    ? jsonError(429, { error: "Too Many Requests", retryAfter })
    : jsonError(503, { error: "Service Unavailable", message: "The payment service could not be reached. Retry shortly.", retryAfter });
  answer.headers["Retry-After"] = String(retryAfter);
  return answer;
}

function jsonError(status: number, body: object): PlainResponse {
  return { status, headers: { "Cache-Control": "no-store", "Content-Type": JSON_TYPE }, body: JSON.stringify(body) };
}

/**
 * The service refused the middleware itself (bad key, missing scope, invalid endpoint):
 * the owner must fix their set-up. Never let such a call through, whatever onUnavailable
 * says: a typo in the key must not give the API away.
 */
export function misconfigured(): PlainResponse {
  return jsonError(500, { error: "Internal Server Error", message: "Payments are misconfigured on this server." });
}

/** The payer's path cannot be priced: it names a pattern (`/a/:b`, `/a/*`) where the code
 *  declared none, or it leaves the protected route once normalised (`/premium/../admin`). */
export function unpricedPath(): PlainResponse {
  return jsonError(400, { error: "Bad Request", message: "This request path cannot be paid for." });
}
