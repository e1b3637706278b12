// One line per HTTP request when its answer is sent: method, path (no query: queries can
// carry tokens), status and duration, with the request id. Next's own assets are left out.
import type { IncomingMessage, ServerResponse } from "node:http";
import { componentLogger } from "./logger";

const log = componentLogger("http");

export function logRequest(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const path = (req.url ?? "/").split("?")[0]!;
  if (path.startsWith("/_next/") || path === "/favicon.ico") return;
  const started = process.hrtime.bigint();
  res.once("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { requestId, method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 };
    if (res.statusCode >= 500) log.error(line, "request");
    else log.info(line, "request");
  });
}
