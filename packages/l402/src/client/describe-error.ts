/**
 * A readable one-line reason for an error. Node's fetch rejects with the bare "fetch
 * failed" and hides what happened (ECONNREFUSED, a TLS failure) in `cause`, so the
 * causes are appended.
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  // A few levels is plenty; a cycle of causes must not loop forever.
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    // Our own errors already quote their cause's message; do not say it twice.
    if (message && !parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ") || "unknown error";
}
