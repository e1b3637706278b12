/**
 * Base64 as L402 uses it. We send standard base64 with padding (what Aperture and lnget
 * decode) and accept standard or URL-safe, padded or not (what other clients send).
 * atob/btoa exist on every target (Node 16+, Bun, Deno, Workers, browsers); the input is
 * checked strictly first, so their leniency (whitespace, say) never comes into play.
 * Where Node's Buffer exists it does the work instead: the same bytes for input that passed
 * the strict check, at a fraction of the cost (the character-by-character decode was ~3% of
 * a verification on the service's hot path, bench/README.md).
 */

type BufferLike = {
  from(data: Uint8Array | string, encoding?: "base64"): Uint8Array & { toString(encoding: "base64"): string };
};
const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

function toBinaryString(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return binary;
}

/** Standard alphabet, padded: the form every L402 client decodes. */
export function encodeBase64(bytes: Uint8Array): string {
  return NodeBuffer ? NodeBuffer.from(bytes).toString("base64") : portableEncodeBase64(bytes);
}

/** encodeBase64 without Buffer (browsers, Workers, Deno); exported for the tests that
 *  hold both ways to the same output. */
export function portableEncodeBase64(bytes: Uint8Array): string {
  return btoa(toBinaryString(bytes));
}

/** URL-safe alphabet, unpadded (RFC 4648 §5). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes standard or URL-safe base64, padded or not. Returns null when the text is not
 * base64 (bad characters, impossible length, padding that does not complete the last group).
 */
export function decodeBase64(text: string): Uint8Array | null {
  return decode(text, NodeBuffer);
}

/** decodeBase64 without Buffer; exported for the tests (as portableEncodeBase64). */
export function portableDecodeBase64(text: string): Uint8Array | null {
  return decode(text, undefined);
}

function decode(text: string, buffer: BufferLike | undefined): Uint8Array | null {
  const match = /^([A-Za-z0-9+/_-]*)(={0,2})$/.exec(text);
  const body = match?.[1];
  // Padding, when present, must complete the last 4-character group; one leftover
  // character can never be valid base64 (it carries only 6 bits).
  if (body === undefined || (match![2] && text.length % 4) || body.length % 4 === 1) return null;
  // Buffer reads both alphabets, padded or not. Copied into a plain Uint8Array: callers get
  // the type the signature says, not a view into Buffer's shared pool.
  if (buffer) return new Uint8Array(buffer.from(body, "base64"));
  const standard = body.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - (standard.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
