// Secrets that travel in URLs must not reach the process output. Next's development
// server logs every request line ("GET /invite/<token> 200 in 40ms"), and its only switch
// lives in next.config.js; sign-in links also carry the invitation path in ?callbackUrl=.
// server.ts therefore filters what the process writes to stdout and stderr.

const INVITE_PATH = /((?:\/|%2f|%252f)invite(?:\/|%2f|%252f))[A-Za-z0-9_-]+/gi;
// Any query parameter whose name mentions a token (token, invite_token, ...).
const TOKEN_PARAM = /([?&][\w.-]*token[\w.-]*=)[^&#\s"']+/gi;

export const REDACTED = "[redacted]";

export function redactSecrets(text: string): string {
  return text.replace(INVITE_PATH, `$1${REDACTED}`).replace(TOKEN_PARAM, `$1${REDACTED}`);
}

type Write = NodeJS.WriteStream["write"];
const installed = new WeakSet<NodeJS.WriteStream>();

function redactStream(stream: NodeJS.WriteStream) {
  if (installed.has(stream)) return;
  installed.add(stream);
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === "string") return write(redactSecrets(chunk), ...rest);
    if (chunk instanceof Uint8Array) {
      const text = Buffer.from(chunk).toString("utf8");
      const redacted = redactSecrets(text);
      return write(redacted === text ? chunk : redacted, ...rest);
    }
    return write(chunk, ...rest);
  }) as Write;
}

/** Redacts invitation tokens from everything this process writes from now on (idempotent). */
export function redactProcessOutput(): void {
  redactStream(process.stdout);
  redactStream(process.stderr);
}
