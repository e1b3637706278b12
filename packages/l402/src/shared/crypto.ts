/**
 * The primitives the middleware, the webhook check, the client and the service share.
 * sha256 and HMAC come from @noble/hashes (pure JS: the same code on Node, browsers, Deno
 * and Workers, and synchronous, unlike WebCrypto's subtle API). The macaroon code lets a
 * server swap in a faster HMAC (macaroon.ts, useHmacSha256).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, message);
}

/**
 * Equal length and equal bytes, in time that depends only on the length: comparing a
 * secret-derived value with an early exit would leak how many leading bytes matched.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

// Our own hex (not @noble/hashes/utils.js): a few lines, and it keeps the bundle smaller.
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += (byte < 16 ? "0" : "") + byte.toString(16);
  return out;
}

/** hexToBytes that answers null instead of throwing on text that is not hex. */
export function hexToBytesOrNull(text: string): Uint8Array | null {
  if (!HEX.test(text)) return null;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Either case of hex; throws TypeError on anything else. */
export function hexToBytes(text: string): Uint8Array {
  const bytes = hexToBytesOrNull(text);
  if (!bytes) throw new TypeError("not hex");
  return bytes;
}
