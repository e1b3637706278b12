// Secrets must not reach the process output, wherever they hide in it: Next's development
// server logs every request line ("GET /invite/<token> 200 in 40ms"), sign-in links carry
// the invitation path in ?callbackUrl=, and an error message can quote a header or a URL.
// The logger censors the fields it knows (lib/log/logger.ts); server.ts also filters every
// byte the process writes to stdout and stderr through redactSecrets.

const INVITE_PATH = /((?:\/|%2f|%252f)invite(?:\/|%2f|%252f))[A-Za-z0-9_-]+/gi;
// Any query parameter whose name mentions a token (token, invite_token, ...).
const TOKEN_PARAM = /([?&][\w.-]*token[\w.-]*=)[^&#\s"']+/gi;
// Tollbooth API keys and operator tokens: the prefix stays, so a reader still sees which kind of key it was.
const API_KEY = /\b(tb_(?:live|test)_|tbop_)[A-Za-z0-9_-]{16,}/g;
// An L402/LSAT credential: macaroon(s) and preimage.
const L402_CREDENTIAL = /\b(L402|LSAT)(\s+)[A-Za-z0-9+/=_-]{16,}(?:,[A-Za-z0-9+/=_-]+)*:[0-9a-fA-F]{64}\b/gi;
// A V2 macaroon in base64 (its first bytes 0x02 0x01 encode as "AgE").
const MACAROON = /\bAgE[A-Za-z0-9+/_-]{40,}={0,2}/g;
// A preimage named as one (JSON, query or key=value).
const PREIMAGE = /(preimage["']?\s*[:=]\s*["']?)[0-9a-fA-F]{64}\b/gi;
// The password in a URL (postgres://user:password@host).
const URL_PASSWORD = /(\/\/[^:/\s@]+:)[^@/\s]+@/g;

export const REDACTED = "[redacted]";

export function redactSecrets(text: string): string {
  return text
    .replace(INVITE_PATH, `$1${REDACTED}`)
    .replace(TOKEN_PARAM, `$1${REDACTED}`)
    .replace(API_KEY, `$1${REDACTED}`)
    .replace(L402_CREDENTIAL, `$1$2${REDACTED}`)
    .replace(MACAROON, REDACTED)
    .replace(PREIMAGE, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`);
}

type Write = NodeJS.WriteStream["write"];
const installed = new WeakSet<NodeJS.WriteStream>();
const unfiltered = new WeakMap<NodeJS.WriteStream, (text: string) => boolean>();

/** Writes to stdout without the filter: only for what the user must see on purpose (the
 *  local demo's sign-in and test key in `npm run dev`'s banner). */
export function printUnredacted(text: string): void {
  const write = unfiltered.get(process.stdout);
  if (write) write(`${text}\n`);
  else process.stdout.write(`${text}\n`);
}

function redactStream(stream: NodeJS.WriteStream) {
  if (installed.has(stream)) return;
  installed.add(stream);
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  unfiltered.set(stream, (text) => write(text));
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
