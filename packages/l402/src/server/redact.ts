/**
 * Everything the middleware writes to a log or puts in an error message goes through
 * redact(): API keys, macaroons, preimages and whole Authorization values must never land
 * in a log file, whatever the message that carried them.
 */

const PATTERNS: [RegExp, string][] = [
  // An Authorization value: the scheme and everything after it.
  [/\b(L402|LSAT|Bearer)\s+\S+/gi, "$1 [redacted]"],
  // Tollbooth API keys, keeping the prefix so the message still says which kind.
  [/\b(tb_(?:live|test)_)[A-Za-z0-9_-]+/g, "$1[redacted]"],
  // Preimages, payment hashes and other 32-byte hex secrets.
  [/\b[0-9a-fA-F]{64}\b/g, "[redacted-hex]"],
  // Base64 blobs long enough to be a macaroon (ours are ~150 characters).
  [/[A-Za-z0-9+/_-]{40,}={0,2}/g, "[redacted-base64]"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export interface L402Logger {
  warn(message: string): void;
}

/** console.warn with a prefix, redacted; `false` silences it. */
export function makeLogger(logger: L402Logger | false | undefined): L402Logger {
  if (logger === false) return { warn() {} };
  const target = logger ?? console;
  return { warn: (message) => target.warn(`[tollbooth] ${redact(message)}`) };
}

/** A short, redacted description of anything thrown. */
export function describeError(error: unknown): string {
  return redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);
}
