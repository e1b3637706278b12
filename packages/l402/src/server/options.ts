/**
 * The options both adapters take, and their defaults. Environment variables are read
 * through globalThis so this file (and the whole fetch path) runs where there is no
 * `process` at all (browsers, Deno without --allow-env, Workers without nodejs_compat).
 */
import { makeLogger, type L402Logger } from "./redact.js";

export interface L402Payment {
  /** Hex payment hash of the invoice the caller paid. */
  paymentHash: string;
  amountSats: number;
  /** The endpoint the token was bought for, e.g. "GET /premium". */
  endpoint: string;
  /** Uses left on this token after this call; null = unlimited until it expires. */
  remainingUses: number | null;
  /** Which use of the token this call is (1, 2, …): what a release gives back. */
  redemption: number | null;
  /** Metered endpoints: the prepaid balance before this call's charge (msat, decimal string). */
  balanceMsat?: string;
  /** Metered endpoints: what this call reserved, the most it may be charged (msat). */
  reservedMsat?: string;
  /**
   * Metered endpoints: report what this call really cost, in msat, or `{ units }` times
   * `msatPerUnit`; calls add up. Settled after the answer (a 5xx or a throw settles 0),
   * never more than was reserved; the rest goes back to the balance.
   */
  charge?: (amount: number | bigint | { units: number }, description?: string) => void;
}

/** What a price function sees: `url` keeps the query string. */
export interface PriceRequest {
  method: string;
  path: string;
  url: string;
}

export type UnavailablePolicy = "fail-closed" | "allow";

export interface L402Options {
  /** Your Tollbooth API key. Default: the TOLLBOOTH_API_KEY environment variable. */
  apiKey?: string;
  /** The Tollbooth service. Default: TOLLBOOTH_URL, else http://localhost:3000. */
  baseUrl?: string;
  /** Registers the endpoint with this price on first use. A price set on the dashboard wins.
   *  A function prices each request (dynamic): its answer is fixed into that invoice and token. */
  priceSats?: number | ((request: PriceRequest) => number);
  /** Metered endpoints: what `charge({ units })` charges per unit, in msat. */
  msatPerUnit?: number;
  /** The endpoint name sent to the service, or a function of the request. Default: `${METHOD} ${path}`. */
  endpoint?: string | ((request: { method: string; path: string }) => string);
  /** Invoice description shown in the payer's wallet. */
  description?: string;
  /** Per call to the service, retries included. Default 5000. */
  timeoutMs?: number;
  /** Called once a credential is verified, before your handler runs. Errors are logged, not thrown. */
  onPaid?: (payment: L402Payment) => void | Promise<void>;
  /** The service is down or answers 5xx: 503 with Retry-After ("fail-closed", default) or let the call through unpaid ("allow"). */
  onUnavailable?: UnavailablePolicy;
  /** Injectable fetch (tests, proxies, custom agents). Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /** Browsers (Accept: text/html, not JSON) get an HTML payment page with the 402. Default true. */
  paymentPage?: boolean;
  /** Where warnings go (redacted). Default console; false silences them. */
  logger?: L402Logger | false;
  /**
   * Fetch handlers only: keeps the best-effort release call alive after the response is
   * returned (Cloudflare's ctx.waitUntil, Next.js's `after`). A Workers-style context
   * argument with a waitUntil method is picked up by itself.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface ResolvedConfig {
  apiKey: string | undefined;
  /** No trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  onUnavailable: UnavailablePolicy;
  paymentPage: boolean;
  logger: L402Logger;
}

export const DEFAULT_BASE_URL = "http://localhost:3000";
export const DEFAULT_TIMEOUT_MS = 5000;

function env(name: string): string | undefined {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = processLike?.env?.[name];
  return value ? value : undefined;
}

export function resolveConfig(options: L402Options): ResolvedConfig {
  const onUnavailable = options.onUnavailable ?? "fail-closed";
  if (onUnavailable !== "fail-closed" && onUnavailable !== "allow") {
    throw new TypeError(`onUnavailable must be "fail-closed" or "allow"`);
  }
  return {
    apiKey: options.apiKey ?? env("TOLLBOOTH_API_KEY"),
    baseUrl: (options.baseUrl ?? env("TOLLBOOTH_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, ""),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // Looked up per call, not captured: test doubles and polyfills installed later still apply.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    onUnavailable,
    paymentPage: options.paymentPage ?? true,
    logger: makeLogger(options.logger),
  };
}
