// The HTTP entry point: one port, two layers. /api/* (except next-auth's /api/auth/*)
// goes straight to the Hono app; everything else to Next. The invoice API is the hot
// path and must not pay Next's router (~900 req/s vs ~28,000 for Hono; see design.md).
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { createApiApp } from "./lib/api/app";
import { LNURLP_PREFIX } from "./lib/api/routes/lnurlp";
import { devWalletEnabled, simulatedLnurlEnabled } from "./lib/dev/tools";
import { applyMigrations } from "./lib/db/migrate";
import { databaseUrl } from "./lib/db/url";
import { stampClientIp, trustedProxyHops } from "./lib/http/client-ip";
import { apiProcesses, exitWithPrimary, superviseProcesses } from "./lib/http/cluster";
import { applyKeepAlive } from "./lib/http/keep-alive";
import { exitGracefullyOnSignal } from "./lib/http/shutdown";
import { redactProcessOutput } from "./lib/http/log-redaction";
import { logRequest } from "./lib/log/access";
import { routeConsoleToLogger } from "./lib/log/console";
import { stampRequestId } from "./lib/log/context";
import { runWithLogFields } from "./lib/log/scope";
import { applySecurityHeaders, securityHeaders } from "./lib/http/security-headers";
import { describeLiveLightning, TEST_KEYS_LIGHTNING } from "./lib/lightning/select";
import { readyRedis, redisUrl } from "./lib/redis/client";

export interface StartOptions {
  port?: number;
  hostname?: string;
  dev?: boolean;
  /** Serve only the Hono API (no Next), to scale the API apart from the dashboard. */
  apiOnly?: boolean;
}

export function isApiPath(url: string, lnurlp = false): boolean {
  // The simulated LNURL-pay server lives in the Hono app too (development only).
  if (lnurlp && url.startsWith(LNURLP_PREFIX)) return true;
  // Prometheus scrapes /metrics (operator token), served by the Hono app.
  if (url === "/metrics" || url.startsWith("/metrics?")) return true;
  return url.startsWith("/api/") && !url.startsWith("/api/auth/");
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const hostname = options.hostname ?? process.env.HOST ?? "0.0.0.0";
  const dev = options.dev ?? process.env.NODE_ENV !== "production";
  // Read before anything listens: a bad TRUST_PROXY must stop the start, not weaken checks.
  const proxyHops = trustedProxyHops();
  const headers = securityHeaders();
  redactProcessOutput();
  routeConsoleToLogger();
  // Shared state from the first request on: connect to Redis before listening (a Redis that
  // is down is logged by the client; the process then starts on per-process state).
  if (redisUrl()) await readyRedis(3000);
  const api = getRequestListener(createApiApp().fetch);
  const lnurlp = simulatedLnurlEnabled();

  const processNumber = cluster.isWorker ? String(cluster.worker?.id ?? "") : "";

  let handleNext: ((req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    // Once per request, for both layers: the client IP (allow-lists, sign-in throttle,
    // audit log), the security headers, and the request id (its log lines and x-request-id).
    stampClientIp(req, proxyHops);
    applySecurityHeaders(res, headers);
    // Which of the API_PROCESSES answered (1..N): for operators following a request.
    if (processNumber) res.setHeader("x-tollbooth-process", processNumber);
    const requestId = stampRequestId(req);
    res.setHeader("x-request-id", requestId);
    logRequest(req, res, requestId);
    if (isApiPath(url, lnurlp) || !handleNext) void api(req, res);
    else void handleNext(req, res, requestId);
  });

  applyKeepAlive(server);

  if (!options.apiOnly) {
    const { default: next } = await import("next");
    const nextApp = next({ dev, hostname, port, httpServer: server, dir: process.cwd() });
    await nextApp.prepare();
    const nextHandler = nextApp.getRequestHandler();
    // Every line logged while Next serves the request carries its id: a log scope, here
    // only (Next scopes each request itself, so the process pays for AsyncLocalStorage
    // anyway; the API path above never enters one, and --api-only never opens it).
    handleNext = (req, res, requestId) => runWithLogFields({ requestId }, () => nextHandler(req, res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return server;
}

// `tsx server.ts` / `node dist/server.js`: start with settings from the environment, as
// API_PROCESSES processes on one port (lib/http/cluster.ts).
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const apiOnly = process.argv.includes("--api-only");
  const processes = apiProcesses();
  // The app applies its own migrations at start-up, once, before any process serves
  // (MIGRATE_ON_START=0 leaves it to the one-shot migrate service); the advisory lock
  // makes concurrent starts of several instances safe.
  const migrate =
    process.env.MIGRATE_ON_START === "0" || (processes > 1 && !cluster.isPrimary) ? Promise.resolve([]) : applyMigrations(databaseUrl());
  migrate
    .then(async () => {
      exitWithPrimary();
      if (superviseProcesses(processes)) {
        console.log(`Tollbooth ${apiOnly ? "API" : "app"}: ${processes} processes on port ${process.env.PORT ?? 3000}`);
        return;
      }
      const server = await startServer({ apiOnly });
      exitGracefullyOnSignal(server);
      // Said once, by the first process (or the only one).
      if (cluster.isWorker && cluster.worker?.id !== 1) return;
      console.log(`Tollbooth ${apiOnly ? "API" : "app"} listening on http://localhost:${process.env.PORT ?? 3000}`);
      // Which node takes real money, said at every start; a set-up that refuses live keys
      // is an error line naming the variable to fix (test keys keep working meanwhile).
      const lightning = describeLiveLightning();
      console.log(`Lightning: ${lightning.live}; ${TEST_KEYS_LIGHTNING}`);
      if (lightning.problem) console.error(`Lightning: ${lightning.problem}`);
      console.log(`Dev wallet: ${devWalletEnabled() ? "on (/api/dev/pay, /dev/wallet)" : "off"}`);
      if (simulatedLnurlEnabled()) console.log(`Simulated LNURL-pay server: on (user@localhost:${process.env.PORT ?? 3000})`);
      console.log(
        `Shared state: ${redisUrl() ? "Redis (REDIS_URL): rate limits and cache invalidation across processes" : "per process (REDIS_URL unset)"}`,
      );
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
