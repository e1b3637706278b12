// One request-body limit for everything under /api: the Hono app (lib/api/app.ts) and
// next-auth's /api/auth routes, which Next serves and proxy.ts guards.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";
import { readBodyUpTo, TOO_LARGE } from "../http/body";
import { errorResponse } from "./errors";

/** The largest request body any route takes (the biggest, a verify call, is ~17 KB). */
export function apiBodyLimitBytes(): number {
  const configured = Number(process.env.API_BODY_LIMIT_BYTES);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 64 * 1024;
}

export function bodyTooLarge(maxBytes: number): AppError {
  return new AppError("invalid_request_error", "body_too_large", `Request bodies can be ${maxBytes} bytes at most.`, { status: 413 });
}

/** 413 in the API's error shape for a body over the limit; undefined lets the request through. */
export async function refuseLargeBody(request: Request, maxBytes = apiBodyLimitBytes()): Promise<Response | undefined> {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  if ((await readBodyUpTo(request, maxBytes)) !== TOO_LARGE) return undefined;
  const error = bodyTooLarge(maxBytes);
  return Response.json(error.toJSON(), { status: error.status, headers: { "cache-control": "no-store" } });
}

/** The Hono app's limit. A declared Content-Length (every client on the hot path sends one)
 *  is checked from the header alone, and a GET or HEAD has no body to check; only a chunked
 *  body is counted as it streams, by hono/body-limit. Why not hono/body-limit for all: it
 *  reads `c.req.raw.body`, which makes @hono/node-server build a full WHATWG Request (an
 *  AbortController, a ReadableStream) for every request, where `c.req.json()` alone reads
 *  the Node stream directly (bench/README.md: a few percent of the hot path's CPU). */
export function apiBodyLimit(maxBytes = apiBodyLimitBytes()): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: maxBytes, onError: (c) => errorResponse(c, bodyTooLarge(maxBytes)) });
  return (c, next) => {
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      // hono/body-limit's own reading of the header, so both paths refuse the same bodies.
      return Number.parseInt(length || "0", 10) > maxBytes ? Promise.resolve(errorResponse(c, bodyTooLarge(maxBytes))) : next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return streamed(c, next);
  };
}
