// One line per HTTP request when its answer is sent: method, path (no query: queries can
// carry tokens), status and duration, with the request id; and the same request counted
// in the HTTP metrics, by route pattern (the Hono app names it; pages count as "page").
// Next's own assets are left out of both.
import type { IncomingMessage, ServerResponse } from "node:http";
import { httpDuration, httpRequests } from "../metrics/registry";
import { componentLogger } from "./logger";

/** Where the Hono app leaves the route pattern that answered (e.g. /api/v1/invoices/:paymentHash). */
export const ROUTE_PATTERN = Symbol("tollbooth.routePattern");
type WithRoute = IncomingMessage & { [ROUTE_PATTERN]?: string };

const log = componentLogger("http");

export function logRequest(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const path = (req.url ?? "/").split("?")[0]!;
  if (path.startsWith("/_next/") || path === "/favicon.ico") return;
  const started = process.hrtime.bigint();
  res.once("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 };
    const route = (req as WithRoute)[ROUTE_PATTERN] ?? (path.startsWith("/api/") ? "unmatched" : "page");
    const method = req.method ?? "GET";
    httpRequests.inc({ method, route, status: String(res.statusCode) });
    httpDuration.observe({ method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` }, durationMs / 1000);
    if (res.statusCode >= 500) log.error(line, "request");
    else log.info(line, "request");
  });
}
