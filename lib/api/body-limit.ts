// One request-body limit for everything under /api: the Hono app (lib/api/app.ts) and
// next-auth's /api/auth routes, which Next serves and proxy.ts guards.
import { AppError } from "../errors";
import { readBodyUpTo, TOO_LARGE } from "../http/body";

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
