/**
 * /.well-known/l402.json: the tenant's discovery document (priced endpoints, how to pay),
 * proxied from GET /api/v1/discovery and cached a minute, so agents can find out what
 * this API charges before calling it.
 */
import { describeError } from "./redact.js";
import type { NodeRequestLike, NodeResponseLike, NextFunctionLike } from "./express.js";
import { sendPlain } from "./express.js";
import { Gate } from "./gate.js";
import type { L402Options } from "./options.js";
import { type PlainResponse, serviceUnavailable } from "./responses.js";
import { toResponse } from "./with-l402.js";

export const WELL_KNOWN_PATH = "/.well-known/l402.json";

type WellKnownOptions = Pick<L402Options, "apiKey" | "baseUrl" | "timeoutMs" | "fetch" | "logger">;

async function wellKnownPlain(gate: Gate): Promise<PlainResponse> {
  try {
    const document = await gate.discovery();
    return {
      status: 200,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "public, max-age=60",
        "Access-Control-Allow-Origin": "*",
      },
      body: JSON.stringify(document),
    };
  } catch (error) {
    gate.config.logger.warn(`serving ${WELL_KNOWN_PATH} failed: ${describeError(error)}`);
    return serviceUnavailable();
  }
}

/**
 * Fetch handlers: `export const GET = () => wellKnownResponse()` in
 * app/.well-known/l402.json/route.ts. The document is cached per service and key, so a
 * fresh call each time costs nothing extra.
 */
export function wellKnownResponse(options: WellKnownOptions = {}): Promise<Response> {
  return wellKnownPlain(new Gate(options)).then(toResponse);
}

/**
 * Express/Connect: `app.use(l402WellKnown())` answers GET /.well-known/l402.json and
 * passes everything else on; `app.get("/.well-known/l402.json", l402WellKnown())` works too.
 */
export function l402WellKnown(options: WellKnownOptions = {}) {
  // Without a next (bare node:http), other paths are left unanswered: mount it on the path.
  const gate = new Gate(options);
  return function l402WellKnownMiddleware(req: NodeRequestLike, res: NodeResponseLike, next?: NextFunctionLike): void {
    const method = (req.method ?? "GET").toUpperCase();
    const path = (req.originalUrl ?? req.url ?? "").split("?")[0]!;
    const routed = typeof req.route?.path === "string";
    if ((method !== "GET" && method !== "HEAD") || (!routed && !path.endsWith(WELL_KNOWN_PATH))) {
      next?.();
      return;
    }
    void wellKnownPlain(gate).then((plain) => sendPlain(res, plain));
  };
}
