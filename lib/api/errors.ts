// Turns anything thrown in a route into the design's error shape, with a fitting status.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { AppError } from "../errors";
import { LightningError } from "../lightning/backend";
import { LightningConfigurationError } from "../lightning/select";
import { isDatabaseUnavailable, isInvalidTextInput } from "../db/errors";
import { NUL_MESSAGE } from "../schemas/text";
import { requestLog } from "./request-log";

/** Seconds a client should wait before retrying when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** The same when the Lightning node is down or slow. */
export const LIGHTNING_RETRY_AFTER_SECONDS = 10;

export function errorResponse(c: Context, error: AppError) {
  return c.json(error.toJSON(), error.status as ContentfulStatusCode);
}

export function validationError(error: ZodError): AppError {
  const issue = error.issues[0];
  const param = issue.path.join(".") || undefined;
  return new AppError("invalid_request_error", "invalid_parameter", param ? `${param}: ${issue.message}` : issue.message, { param });
}

export function onError(error: Error, c: Context) {
  if (error instanceof AppError) return errorResponse(c, error);
  // The operator's Lightning set-up (e.g. live keys on the simulated node in production):
  // say which variable to fix; 503, as the service cannot take payments until it is.
  if (error instanceof LightningConfigurationError) {
    requestLog(c).error(error.message);
    return errorResponse(c, new AppError("api_error", "lightning_not_configured", error.message, { status: 503 }));
  }
  if (error instanceof HTTPException) {
    return errorResponse(
      c,
      new AppError(error.status >= 500 ? "api_error" : "invalid_request_error", "http_error", error.message || "Bad request", {
        status: error.status,
      }),
    );
  }
  if (error instanceof LightningError) {
    // The node is down, slow or refusing: the payer can retry shortly; the details (the
    // node's own words) are for the operator's log, not for API clients.
    requestLog(c).warn(`Lightning unavailable: ${error.message}`);
    c.header("Retry-After", String(LIGHTNING_RETRY_AFTER_SECONDS));
    return errorResponse(
      c,
      new AppError(
        "api_error",
        "lightning_unavailable",
        `The Lightning node cannot make invoices right now. Retry in ${LIGHTNING_RETRY_AFTER_SECONDS} seconds.`,
        { status: 503 },
      ),
    );
  }
  if (isInvalidTextInput(error)) {
    requestLog(c).warn("text with NUL reached the database (a schema lacks safeText)");
    return errorResponse(c, new AppError("invalid_request_error", "invalid_parameter", NUL_MESSAGE));
  }
  if (isDatabaseUnavailable(error)) {
    // Not a defect: say so briefly (no stack per request while the database is down).
    requestLog(c).warn(`database unavailable: ${error.message.trim().split("\n").pop()}`);
    c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    return errorResponse(
      c,
      new AppError(
        "api_error",
        "database_unavailable",
        `The service cannot reach its database right now. Retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
        { status: 503 },
      ),
    );
  }
  requestLog(c).error({ err: error }, "request failed");
  return errorResponse(
    c,
    new AppError("api_error", "internal_error", "Something went wrong on our side. Quote the x-request-id header if you contact support."),
  );
}

export function notFound(c: Context) {
  return errorResponse(c, new AppError("not_found_error", "route_not_found", `No route for ${c.req.method} ${c.req.path}.`));
}
