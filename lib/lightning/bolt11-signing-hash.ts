/** The 32-byte hash a BOLT11 signature covers; shared by the encoder and the decoder. */

import { sha256 } from "@noble/hashes/sha2.js";
import { wordsToBytesZeroPadded } from "./bolt11-words";

/**
 * sha256(human-readable part as UTF-8 || data part before the signature, 5-bit words
 * packed into bytes with zero bits appended to the next byte boundary).
 */
export function invoiceSigningHash(hrp: string, dataWords: readonly number[]): Uint8Array {
  const hrpBytes = new TextEncoder().encode(hrp);
  const dataBytes = wordsToBytesZeroPadded(dataWords);
  const message = new Uint8Array(hrpBytes.length + dataBytes.length);
  message.set(hrpBytes, 0);
  message.set(dataBytes, hrpBytes.length);
  return sha256(message);
}
