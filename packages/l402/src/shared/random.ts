// Its own module, not crypto.ts: the server entry never needs random bytes, and esbuild
// keeps an external import even when nothing uses it.
import { randomBytes as nobleRandomBytes } from "@noble/hashes/utils.js";

/** Cryptographically secure random bytes (WebCrypto under the hood). */
export function randomBytes(length: number): Uint8Array {
  return nobleRandomBytes(length);
}
