/**
 * Base64 as L402 uses it. We send standard base64 with padding (what Aperture and lnget
 * decode) and accept standard or URL-safe, padded or not (what other clients send).
 * atob/btoa exist on every target (Node 16+, Bun, Deno, Workers, browsers); the input is
 * checked strictly first, so their leniency (whitespace, say) never comes into play.
 */

function toBinaryString(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return binary;
}

/** Standard alphabet, padded: the form every L402 client decodes. */
export function encodeBase64(bytes: Uint8Array): string {
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
  const match = /^([A-Za-z0-9+/_-]*)(={0,2})$/.exec(text);
  const body = match?.[1];
  // Padding, when present, must complete the last 4-character group; one leftover
  // character can never be valid base64 (it carries only 6 bits).
  if (body === undefined || (match![2] && text.length % 4) || body.length % 4 === 1) return null;
  const standard = body.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - (standard.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
