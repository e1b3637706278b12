/**
 * Base64 as L402 uses it: we always send standard base64 with padding (what
 * Aperture and lnget decode); we accept standard or URL-safe, padded or not
 * (what other clients send).
 */
import { base64 } from "@scure/base";

export function encodeBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Decodes standard or URL-safe base64, with or without padding; null if it is not base64. */
export function decodeBase64Loose(text: string): Uint8Array | null {
  const match = /^([A-Za-z0-9+/_-]+)(={0,2})$/.exec(text);
  if (!match) return null;
  const unpadded = match[1]!;
  // Padding, when present, must complete the last 4-character group.
  if (match[2] && text.length % 4 !== 0) return null;
  // One leftover character can never be valid base64 (it carries only 6 bits).
  if (unpadded.length % 4 === 1) return null;
  const standard = unpadded.replace(/-/g, "+").replace(/_/g, "/");
  const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
  try {
    return base64.decode(padded);
  } catch {
    return null;
  }
}
