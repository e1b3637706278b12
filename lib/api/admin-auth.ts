// Operator authentication for /api/admin/*: the client address must pass ADMIN_ALLOWED_IPS
// (when set), then `Authorization: Bearer <ADMIN_API_TOKEN>`, compared in constant time
// against its hash (lib/admin/token.ts). Without a configured token the operator API is closed.
import type { MiddlewareHandler } from "hono";
import { adminIpAllowed } from "../admin/access";
import { operatorTokenMatches } from "../admin/token";
import { requestContext } from "../auth/request-context";
import { AppError } from "../errors";
import type { ApiEnv } from "./app";

export function requireOperatorToken(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const { ip } = requestContext(c.req.raw.headers);
    if (!adminIpAllowed(ip))
      throw new AppError("permission_error", "ip_not_allowed", "The operator API does not accept requests from this address.");
    const presented = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!presented)
      throw new AppError(
        "authentication_error",
        "missing_operator_token",
        "Send the operator token as `Authorization: Bearer <ADMIN_API_TOKEN>`.",
      );
    if (!operatorTokenMatches(presented))
      throw new AppError("authentication_error", "invalid_operator_token", "This operator token is not valid.");
    await next();
  };
}
