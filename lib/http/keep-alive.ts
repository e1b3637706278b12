// How long the server keeps an idle keep-alive connection open. Node's default is 5 s,
// shorter than every proxy in front of it keeps its side open (nginx's upstream
// keepalive_timeout and AWS ALB's idle timeout: 60 s). The proxy, or a client's agent,
// then reuses a connection the server has just closed: the request on it dies with
// ECONNRESET, and nginx does not retry a POST, so a payer sees a 502 now and then (the
// benchmark's soak saw it as resets). The server must be the side that waits longer.
import type { Server } from "node:http";

export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepAliveTimeoutMs(): number {
  const configured = Number(process.env.HTTP_KEEP_ALIVE_TIMEOUT_MS);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
}

export function applyKeepAlive(server: Server, timeoutMs = keepAliveTimeoutMs()): void {
  server.keepAliveTimeout = timeoutMs;
  // Node's advice: the headers timeout above the keep-alive one, or a slow first byte on a
  // reused connection is cut by the wrong timer.
  server.headersTimeout = Math.max(server.headersTimeout, timeoutMs + 1000);
}
