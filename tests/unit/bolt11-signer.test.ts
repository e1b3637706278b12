/**
 * createSigner's choice of library: tiny-secp256k1 when its WebAssembly loads,
 * @noble/curves when it does not, with identical signatures either way.
 */

import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { afterEach, describe, expect, it, vi } from "vitest";

const PRIVATE_KEY = hexToBytes("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734");
const MESSAGE_HASH = hexToBytes("c3d4e83f646fa79a393d75277b1d858db1d1f7ab7137dcb7835db2ecd518e1c9");
// r || s || recid of the BOLT 11 donation example, from the spec's signature breakdown.
const SPEC_SIGNATURE =
  "38ec6891345e204145be8a3a99de38e98a39d6a569434e1845c8af7205afcfcc7f425fcd1463e93c32881ead0d6e356d467ec8c02553f9aab15e5738b11f127f00";

afterEach(() => {
  vi.doUnmock("tiny-secp256k1");
  vi.resetModules();
  vi.restoreAllMocks();
});

describe("createSigner", () => {
  it("uses tiny-secp256k1 when its wasm loads", async () => {
    const { createSigner } = await import("@/lib/lightning/bolt11-signer");
    const signer = await createSigner(PRIVATE_KEY);
    expect(signer.implementation).toBe("tiny-secp256k1");
    expect(bytesToHex(signer.signRecoverable(MESSAGE_HASH))).toBe(SPEC_SIGNATURE);
  });

  it("falls back to @noble/curves when tiny-secp256k1 fails to load", async () => {
    vi.resetModules();
    vi.doMock("tiny-secp256k1", () => {
      throw new Error("WebAssembly.Module: simulated load failure");
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { createSigner } = await import("@/lib/lightning/bolt11-signer");

    const signer = await createSigner(PRIVATE_KEY);
    expect(signer.implementation).toBe("noble");
    expect(bytesToHex(signer.signRecoverable(MESSAGE_HASH))).toBe(SPEC_SIGNATURE);
    expect(warn).toHaveBeenCalledOnce();

    // The failed load is remembered: no second attempt, no second warning.
    expect((await createSigner(PRIVATE_KEY)).implementation).toBe("noble");
    expect(warn).toHaveBeenCalledOnce();
  });

  it("still rejects an invalid private key rather than falling back", async () => {
    const { createSigner } = await import("@/lib/lightning/bolt11-signer");
    await expect(createSigner(new Uint8Array(32))).rejects.toThrow(/private key/);
  });

  it("is also the module's default export", async () => {
    const module = await import("@/lib/lightning/bolt11-signer");
    expect(module.default).toBe(module.createSigner);
  });
});
