/**
 * Who signs our BOLT11 invoices. A signer holds the node's private key and makes
 * recoverable ECDSA signatures over a 32-byte hash, in BOLT11's wire order.
 */

import { createNobleSigner } from "./bolt11-signer-noble";

export interface Bolt11Signer {
  /** Which library signs: shows up in logs and in the benchmark. */
  readonly implementation: "tiny-secp256k1" | "noble";
  /** The node id: 33-byte compressed secp256k1 public key. */
  readonly publicKey: Uint8Array;
  /**
   * Signs a 32-byte message hash as is (no further hashing), deterministically (RFC 6979,
   * low-S). Returns 65 bytes: r (32) || s (32) || recovery id (1), as BOLT11 carries it.
   */
  signRecoverable(messageHash: Uint8Array): Uint8Array;
}

type TinySecp256k1SignerModule = typeof import("./bolt11-signer-tiny-secp256k1");

let tinySecp256k1Load: Promise<TinySecp256k1SignerModule | null> | undefined;

/**
 * tiny-secp256k1 compiles its WebAssembly when the module is first evaluated, so a
 * static import would take our whole module down if the wasm cannot load (a bundler
 * that mangles its path, a runtime without WebAssembly). Loading it dynamically, once,
 * turns that into a fallback instead.
 */
function loadTinySecp256k1(): Promise<TinySecp256k1SignerModule | null> {
  tinySecp256k1Load ??= import("./bolt11-signer-tiny-secp256k1").catch((error: unknown) => {
    console.warn(`tiny-secp256k1 unavailable, signing invoices with @noble/curves: ${String(error)}`);
    return null;
  });
  return tinySecp256k1Load;
}

/**
 * The signer to use: tiny-secp256k1 (libsecp256k1 in WebAssembly, ~4x faster; see
 * bench/bolt11-sign.ts), or @noble/curves when the wasm does not load. Both produce
 * byte-identical signatures, so which one ran never shows in an invoice.
 */
export async function createSigner(privateKey: Uint8Array): Promise<Bolt11Signer> {
  const tinySecp256k1 = await loadTinySecp256k1();
  return tinySecp256k1 ? tinySecp256k1.createTinySecp256k1Signer(privateKey) : createNobleSigner(privateKey);
}

export default createSigner;
