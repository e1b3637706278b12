/**
 * The hashing primitives lib/l402 uses, in one place.
 *
 * Pure JS (@noble/hashes) so the library also runs in edge runtimes. On Node,
 * node:crypto's HMAC is ~2.5x faster (design.md: ~241k/s vs ~96k/s), so a server
 * may swap it in at start-up without this folder importing node:crypto:
 *
 *   import { createHmac } from "node:crypto";
 *   useHmacSha256((key, msg) => new Uint8Array(createHmac("sha256", key).update(msg).digest()));
 *
 * Both compute the same function, so swapping changes speed, never results.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { randomBytes as nobleRandomBytes } from "@noble/hashes/utils.js";

export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

const nobleHmacSha256: HmacSha256 = (key, message) => hmac(nobleSha256, key, message);

let currentHmacSha256: HmacSha256 = nobleHmacSha256;

/** Replace the HMAC-SHA256 implementation (pass nothing to restore the pure-JS one). */
export function useHmacSha256(implementation?: HmacSha256): void {
  currentHmacSha256 = implementation ?? nobleHmacSha256;
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return currentHmacSha256(key, message);
}

export function sha256(message: Uint8Array): Uint8Array {
  return nobleSha256(message);
}

/** Cryptographically secure random bytes (WebCrypto under the hood). */
export function randomBytes(length: number): Uint8Array {
  return nobleRandomBytes(length);
}

/**
 * Equality whose running time does not depend on where the inputs differ, so
 * an attacker cannot learn a signature or hash byte by byte from response times.
 * (The length is not secret: signatures and hashes have fixed sizes.)
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
