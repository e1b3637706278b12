/** Bolt11Signer on @noble/curves: pure JavaScript, always loads, ~4x slower than the wasm one. */

import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Bolt11Signer } from "./bolt11-signer";

export function createNobleSigner(privateKey: Uint8Array): Bolt11Signer {
  if (!secp256k1.utils.isValidSecretKey(privateKey)) throw new Error("invalid secp256k1 private key");
  const secretKey = Uint8Array.from(privateKey); // our own copy: the caller may zero theirs
  return {
    implementation: "noble",
    publicKey: secp256k1.getPublicKey(secretKey, true),
    signRecoverable(messageHash) {
      if (messageHash.length !== 32) throw new Error("message hash must be 32 bytes");
      // prehash:false because BOLT11 already hashed; noble's "recovered" format is recid || r || s.
      const recovered = secp256k1.sign(messageHash, secretKey, { prehash: false, format: "recovered" });
      const signature = new Uint8Array(65);
      signature.set(recovered.subarray(1, 65), 0);
      signature[64] = recovered[0]!;
      return signature;
    },
  };
}
