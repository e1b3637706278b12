/**
 * Bolt11Signer on tiny-secp256k1 (libsecp256k1 compiled to WebAssembly). Importing this
 * module compiles the wasm synchronously (readFileSync + new WebAssembly.Module in
 * tiny-secp256k1's Node loader), which works in plain Node ESM, tsx and vitest. Load it
 * through createSigner(), which falls back to @noble/curves if that import throws.
 */

import * as ecc from "tiny-secp256k1";
import type { Bolt11Signer } from "./bolt11-signer";

export function createTinySecp256k1Signer(privateKey: Uint8Array): Bolt11Signer {
  if (privateKey.length !== 32 || !ecc.isPrivate(privateKey)) throw new Error("invalid secp256k1 private key");
  const secretKey = Uint8Array.from(privateKey); // our own copy: the caller may zero theirs
  const publicKey = ecc.pointFromScalar(secretKey, true);
  if (!publicKey) throw new Error("invalid secp256k1 private key");
  return {
    implementation: "tiny-secp256k1",
    publicKey,
    signRecoverable(messageHash) {
      if (messageHash.length !== 32) throw new Error("message hash must be 32 bytes");
      // No extra entropy: plain RFC 6979, so signatures match noble's and the BOLT11 examples.
      const { signature, recoveryId } = ecc.signRecoverable(messageHash, secretKey);
      const out = new Uint8Array(65);
      out.set(signature, 0);
      out[64] = recoveryId;
      return out;
    },
  };
}
