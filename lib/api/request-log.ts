// The logger for code serving an API request: every line carries the request's id (the
// x-request-id it answers with), method and path, passed explicitly. The API process has no
// log scope to add them (lib/log/scope.ts says why), so code that logs during an API request
// logs through this (today: the error lines of lib/api/errors.ts; the access line passes the
// id itself). Made on first use: requests that log nothing pay nothing.
import type { Context } from "hono";
import type pino from "pino";
import { componentLogger } from "../log/logger";

const log = componentLogger("api");

export function requestLog(c: Context): pino.Logger {
  return log.child({ requestId: c.get("requestId"), method: c.req.method, path: c.req.path });
}
