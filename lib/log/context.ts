// The request id: one per HTTP request, chosen once by server.ts (the client's
// x-request-id when it is safe to log, else a new one), stamped onto the request so the
// Hono app answers with the same id. Every line logged for the request carries it: the
// access line and the API's lines get it passed explicitly (lib/log/access.ts,
// lib/api/request-log.ts); lines logged while Next serves a request get it from the log
// scope, which only the full server opens (lib/log/scope.ts: AsyncLocalStorage hooks every
// promise of the process on Node 20, ~20% of the API's CPU per verification).
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";

// The same rule as hono/request-id's, so both layers keep or replace the same ids.
const CLIENT_ID = /^[\w\-=]{1,255}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && CLIENT_ID.test(value) ? value : randomUUID();
}

/** Picks the request's id and writes it into both views of its headers (@hono/node-server
 *  may rebuild the Request from rawHeaders), replacing an unusable one the client sent. */
export function stampRequestId(req: Pick<IncomingMessage, "headers" | "rawHeaders">): string {
  const id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
  if (req.headers[REQUEST_ID_HEADER] !== id) {
    const raw = req.rawHeaders;
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === REQUEST_ID_HEADER) raw.splice(i, 2);
    req.headers[REQUEST_ID_HEADER] = id;
    raw.push(REQUEST_ID_HEADER, id);
  }
  return id;
}
