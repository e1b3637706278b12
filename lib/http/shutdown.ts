// SIGTERM (a deploy, `docker stop`, the cluster's primary stopping) and SIGINT: stop taking
// connections, let the requests in flight finish, then leave through process.exit() so the
// exit handlers run (the logger flushes the info lines it batches, lib/log/logger.ts).
// Node's default for these signals is to die on the spot: in-flight requests were cut and
// the last 200 ms of log lines lost. SHUTDOWN_GRACE_MS bounds the wait (default 4 s, under
// the 5 s the cluster's primary gives its processes, lib/http/cluster.ts).
import type { Server } from "node:http";

export function shutdownGraceMs(): number {
  const configured = Number(process.env.SHUTDOWN_GRACE_MS);
  return Number.isSafeInteger(configured) && configured >= 0 ? configured : 4000;
}

export function exitGracefullyOnSignal(server: Server, graceMs = shutdownGraceMs()): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), graceMs).unref();
    server.close(() => process.exit(0));
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
