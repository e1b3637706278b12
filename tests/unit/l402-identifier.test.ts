import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  L402Error,
  L402_IDENTIFIER_LENGTH,
  decodeIdentifier,
  encodeIdentifier,
  newTokenId,
  rootKeyIdOf,
} from "@/lib/l402";

const paymentHash = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const tokenId = Uint8Array.from({ length: 32 }, (_, i) => 0xff - i);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof L402Error ? error.code : `not an L402Error: ${String(error)}`;
  }
  return undefined;
}

describe("L402 identifier", () => {
  it("lays out uint16be 0 || payment_hash || token_id in 66 bytes", () => {
    const identifier = encodeIdentifier({ paymentHash, tokenId });
    expect(identifier.length).toBe(L402_IDENTIFIER_LENGTH);
    expect([...identifier.slice(0, 2)]).toEqual([0, 0]);
    expect(identifier.slice(2, 34)).toEqual(paymentHash);
    expect(identifier.slice(34)).toEqual(tokenId);
  });

  it("round-trips", () => {
    const decoded = decodeIdentifier(encodeIdentifier({ paymentHash, tokenId }));
    expect(decoded).toEqual({ version: 0, paymentHash, tokenId });
  });

  it("rejects a wrong length", () => {
    const identifier = encodeIdentifier({ paymentHash, tokenId });
    expect(codeOf(() => decodeIdentifier(identifier.slice(0, 65)))).toBe("invalid_identifier");
    expect(codeOf(() => decodeIdentifier(new Uint8Array([...identifier, 0])))).toBe("invalid_identifier");
    expect(codeOf(() => decodeIdentifier(new Uint8Array(1)))).toBe("invalid_identifier");
    expect(codeOf(() => decodeIdentifier(new TextEncoder().encode("keyid")))).toBe("invalid_identifier");
  });

  it("rejects another version, even at the right length", () => {
    const identifier = encodeIdentifier({ paymentHash, tokenId });
    identifier[1] = 1;
    expect(() => decodeIdentifier(identifier)).toThrow(/version 1/);
    identifier[0] = 1;
    identifier[1] = 0;
    expect(() => decodeIdentifier(identifier)).toThrow(/version 256/);
  });

  it("refuses to encode wrong-size inputs", () => {
    expect(codeOf(() => encodeIdentifier({ paymentHash: paymentHash.slice(1), tokenId }))).toBe("invalid_argument");
    expect(codeOf(() => encodeIdentifier({ paymentHash, tokenId: new Uint8Array(33) }))).toBe("invalid_argument");
  });

  it("makes random token ids and hashes identifiers for the root-key store", () => {
    expect(newTokenId()).toHaveLength(32);
    expect(newTokenId()).not.toEqual(newTokenId());
    const identifier = encodeIdentifier({ paymentHash, tokenId });
    expect(rootKeyIdOf(identifier)).toEqual(sha256(identifier));
  });
});
