// Is this error "the database cannot be reached right now" (down, restarting, refusing or
// dropping connections), as opposed to a bug or bad data? Callers answer the first with
// 503 and Retry-After, so clients and the middleware retry instead of reporting a defect.

// pg / Node socket codes for a connection that could not be made or was lost.
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
// SQLSTATEs: class 08 (connection exception), the server shutting down or starting
// (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now), too many clients.
const SQLSTATES = /^(08\d\d\d|57P0[123]|53300)$/;
// Prisma: can't reach (P1001), timed out (P1002, P1008), server closed the connection
// (P1017), no connection free in the pool in time (P2024).
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// What @prisma/adapter-pg calls those when it wraps a driver error (P2010 and others).
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// pg reports these without a code.
const PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Query read timeout)$/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } };
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 2) return false;
  const e = error as ErrorLike;
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && (SOCKET_CODES.has(code) || SQLSTATES.test(code) || PRISMA_CODES.has(code))) return true;
  const adapter = e.meta?.driverAdapterError?.cause;
  if (adapter) {
    if (typeof adapter.kind === "string" && ADAPTER_KINDS.has(adapter.kind)) return true;
    const sqlState = adapter.originalCode ?? adapter.code;
    if (typeof sqlState === "string" && SQLSTATES.test(sqlState)) return true;
  }
  if (typeof e.message === "string" && PG_MESSAGES.test(e.message)) return true;
  // Node wraps "every address refused" (localhost: ::1 and 127.0.0.1) in an AggregateError.
  // Causes are not followed: a Lightning node or webhook URL refusing is not the database.
  return Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** Postgres refused text it cannot store (NUL, 22021): the client's input, not a defect.
 *  Schemas refuse NUL first (lib/schemas/text.ts); this catches any input that slipped by. */
export function isInvalidTextInput(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as ErrorLike;
  const adapter = e.meta?.driverAdapterError?.cause;
  const codes = [e.code, adapter?.originalCode, adapter?.code];
  if (codes.includes("22021")) return true;
  return typeof e.message === "string" && /invalid byte sequence for encoding "UTF8": 0x00/.test(e.message);
}
