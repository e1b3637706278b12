// The Hono app behind /api/* (except next-auth's /api/auth/*). server.ts mounts it in
// front of Next, and `npm run start:api` serves it alone. Routes live in routes/, one file
// per resource; this file only wires the cross-cutting parts once.
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { apiBodyLimit } from "./body-limit";
import { errorResponse, notFound, onError, validationError } from "./errors";
import { healthRoutes } from "./routes/health";
import { invoiceRoutes } from "./routes/invoices";
import { l402Routes } from "./routes/l402";
import { endpointRoutes } from "./routes/endpoints";
import { discoveryRoutes } from "./routes/discovery";
import { payerRoutes } from "./routes/payer";
import { devRoutes } from "./routes/dev";
import { lnurlpRoutes } from "./routes/lnurlp";
import { statsRoutes } from "./routes/stats";
import { paymentRoutes } from "./routes/payments";
import { balanceRoutes } from "./routes/balance";
import { prepaidBalanceRoutes } from "./routes/prepaid-balances";
import { adminRoutes } from "./routes/admin";
import { adminTenantRoutes } from "./routes/admin-tenants";
import { adminSecurityRoutes } from "./routes/admin-security";
import { metricsRoutes } from "./routes/metrics";
import { webhookRoutes } from "./routes/webhooks";
import { payoutRoutes } from "./routes/payouts";
import { devWalletEnabled, simulatedLnurlEnabled } from "../dev/tools";
import type { AuthenticatedKey } from "../keys/api-keys";
import { ROUTE_PATTERN } from "../log/access";

export type ApiEnv = { Variables: { requestId: string; apiKey: AuthenticatedKey } };

export function createApiApp() {
  const app = new OpenAPIHono<ApiEnv>({
    // zod failures from any route become the standard 400 error shape.
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, validationError(result.error));
    },
  });
  // The id server.ts stamped on the request (or a new one when the app is called alone).
  app.use("*", requestId({ headerName: "x-request-id" }));
  // The route pattern that answered, for the HTTP metrics (lib/log/access.ts); the Node
  // request is there when server.ts serves the app.
  app.use("*", async (c, next) => {
    await next();
    const incoming = (c.env as { incoming?: Record<symbol, unknown> } | undefined)?.incoming;
    // After next(), the route index is the handler that answered ("*" when none did).
    if (incoming) incoming[ROUTE_PATTERN] = routePath(c) === "*" ? "unmatched" : routePath(c);
  });
  // Refused from Content-Length before reading, or as soon as a chunked body passes it.
  app.use("*", apiBodyLimit());
  app.onError(onError);
  app.notFound(notFound);

  app.route("/api", healthRoutes());
  app.route("/api", invoiceRoutes());
  app.route("/api", l402Routes());
  app.route("/api", endpointRoutes());
  app.route("/api", discoveryRoutes());
  app.route("/api", payerRoutes());
  app.route("/api", statsRoutes());
  app.route("/api", paymentRoutes());
  app.route("/api", balanceRoutes());
  app.route("/api", prepaidBalanceRoutes());
  app.route("/api", adminRoutes());
  app.route("/api", adminTenantRoutes());
  app.route("/api", adminSecurityRoutes());
  app.route("/", metricsRoutes());
  app.route("/api", webhookRoutes());
  app.route("/api", payoutRoutes());
  if (devWalletEnabled()) app.route("/api", devRoutes());
  if (simulatedLnurlEnabled()) app.route("/", lnurlpRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A Tollbooth API key: tb_test_… or tb_live_…",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "operatorToken", {
    type: "http",
    scheme: "bearer",
    description: "The platform operator's token (ADMIN_API_TOKEN), for /api/admin/*",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Tollbooth API", version: "1.0.0", description: "Hosted L402 payments for HTTP APIs." },
  });
  return app;
}
