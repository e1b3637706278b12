/**
 * withL402 for fetch-style handlers, `(request: Request, ...rest) => Response`: Next.js
 * route handlers, Hono (`c.req.raw`), Bun.serve, Deno.serve, Cloudflare Workers. Uses only
 * fetch, Request, Response and TextEncoder: no Node built-ins.
 *
 * The handler reads the verified payment with getL402(request). A WeakMap rather than an
 * extra argument: frameworks already pass their own extra arguments (Next's context,
 * Workers' env and ctx), and appending one would shift or collide with them.
 */
import { Gate } from "./gate.js";
import type { L402Options, L402Payment } from "./options.js";
import { BALANCE_HEADER, meter } from "./metered.js";
import { describeError } from "./redact.js";
import type { PlainResponse } from "./responses.js";

const paymentsByRequest = new WeakMap<Request, L402Payment>();

/** The payment behind this request, inside a handler wrapped by withL402; undefined when it went through unpaid. */
export function getL402(request: Request): L402Payment | undefined {
  return paymentsByRequest.get(request);
}

export function toResponse(plain: PlainResponse): Response {
  return new Response(plain.body, { status: plain.status, headers: plain.headers });
}

type KeepAlive = (promise: Promise<unknown>) => void;

/** options.waitUntil, else a Workers-style `ctx` among the extra arguments, else nothing (the promise runs on its own). */
function keepAliveFor(options: L402Options, rest: readonly unknown[]): KeepAlive {
  if (options.waitUntil) return options.waitUntil;
  for (const argument of rest) {
    const waitUntil = (argument as { waitUntil?: unknown } | null)?.waitUntil;
    if (typeof waitUntil === "function") return (promise) => waitUntil.call(argument, promise);
  }
  return () => {};
}

export interface FetchL402Options<Req extends Request = Request, Rest extends unknown[] = unknown[]> extends L402Options {
  /**
   * The paying client's IP, forwarded so the service gives each payer its own budget of
   * unpaid calls (without it, all your payers share one). A fetch Request does not carry
   * the address, so pass where your runtime keeps it: `(req, info) => info.remoteAddr.hostname`
   * (Deno), `(req) => req.headers.get("cf-connecting-ip")` (Cloudflare), or the header your
   * own reverse proxy sets; never a header the client can write.
   */
  payerIp?: (request: Req, ...rest: Rest) => string | null | undefined;
}

/** Metered: the handler charges with getL402(request).charge(…); settled once it answered
 *  (0 when it threw or answered 5xx), the balance header added to its response. */
async function meteredCall(
  gate: Gate,
  options: L402Options,
  payment: L402Payment,
  keepAlive: KeepAlive,
  run: () => Response | Promise<Response>,
): Promise<Response> {
  const call = meter(payment, options.msatPerUnit, () => {});
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    keepAlive(gate.settle(payment, call, true));
    throw error;
  }
  // Settled before answering, so the balance header is exact (the next call sees this charge).
  const balance = await gate.settle(payment, call, response.status >= 500);
  const headers = new Headers(response.headers);
  headers.set(BALANCE_HEADER, balance ?? call.balance());
  return new Response(response.body, { status: response.status, headers });
}

export function withL402<Req extends Request, Rest extends unknown[]>(
  handler: (request: Req, ...rest: Rest) => Response | Promise<Response>,
  options: FetchL402Options<Req, Rest> = {},
): (request: Req, ...rest: Rest) => Promise<Response> {
  const gate = new Gate(options);
  return async function l402Handler(request: Req, ...rest: Rest): Promise<Response> {
    const method = request.method.toUpperCase();
    const path = new URL(request.url).pathname;
    const outcome = await gate.check({
      method,
      path,
      endpoint: gate.endpointName(method, path),
      authorization: request.headers.get("authorization") ?? undefined,
      accept: request.headers.get("accept") ?? undefined,
      payerIp: options.payerIp?.(request, ...rest) ?? undefined,
      url: request.url,
    });
    if (outcome.kind === "respond") return toResponse(outcome.response);
    const payment = outcome.payment;
    if (!payment) return handler(request, ...rest);

    paymentsByRequest.set(request, payment);
    if (payment.reservedMsat !== undefined)
      return meteredCall(gate, options, payment, keepAliveFor(options, rest), () => handler(request, ...rest));
    // Release runs after the answer is on its way; waitUntil keeps serverless runtimes alive for it.
    const keepAlive = keepAliveFor(options, rest);
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      keepAlive(gate.release(payment, 500, `handler threw ${describeError(error)}`));
      throw error;
    }
    if (response.status >= 500) keepAlive(gate.release(payment, response.status, `handler answered ${response.status}`));
    return response;
  };
}
