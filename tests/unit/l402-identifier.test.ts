import { describe, expect, it } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { L402_IDENTIFIER_LENGTH, decodeL402Identifier, encodeL402Identifier, newTokenId, rootKeyIdOf } from "@/lib/l402";
import { codeOf } from "../helpers/l402-error-code";

const paymentHash = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const tokenId = Uint8Array.from({ length: 32 }, (_, i) => 0xff - i);

describe("L402 identifier", () => {
  it("lays out uint16be 0 || payment_hash || token_id in 66 bytes", () => {
    const identifier = encodeL402Identifier({ paymentHash, tokenId });
    expect(identifier.length).toBe(L402_IDENTIFIER_LENGTH);
    expect([...identifier.slice(0, 2)]).toEqual([0, 0]);
    expect(identifier.slice(2, 34)).toEqual(paymentHash);
    expect(identifier.slice(34)).toEqual(tokenId);
  });

  it("round-trips", () => {
    const decoded = decodeL402Identifier(encodeL402Identifier({ paymentHash, tokenId }));
    expect(decoded).toEqual({ version: 0, paymentHash, tokenId });
  });

  it("rejects a wrong length", () => {
    const identifier = encodeL402Identifier({ paymentHash, tokenId });
    expect(codeOf(() => decodeL402Identifier(identifier.slice(0, 65)))).toBe("invalid_identifier");
    expect(codeOf(() => decodeL402Identifier(new Uint8Array([...identifier, 0])))).toBe("invalid_identifier");
    expect(codeOf(() => decodeL402Identifier(new Uint8Array(1)))).toBe("invalid_identifier");
    expect(codeOf(() => decodeL402Identifier(new TextEncoder().encode("keyid")))).toBe("invalid_identifier");
  });

  it("rejects another version, even at the right length", () => {
    const identifier = encodeL402Identifier({ paymentHash, tokenId });
    identifier[1] = 1;
    expect(() => decodeL402Identifier(identifier)).toThrow(/version 1/);
    identifier[0] = 1;
    identifier[1] = 0;
    expect(() => decodeL402Identifier(identifier)).toThrow(/version 256/);
  });

  it("refuses to encode wrong-size inputs", () => {
    expect(codeOf(() => encodeL402Identifier({ paymentHash: paymentHash.slice(1), tokenId }))).toBe("invalid_argument");
    expect(codeOf(() => encodeL402Identifier({ paymentHash, tokenId: new Uint8Array(33) }))).toBe("invalid_argument");
  });

  it("makes random token ids and hashes identifiers for the root-key store", () => {
    expect(newTokenId()).toHaveLength(32);
    expect(newTokenId()).not.toEqual(newTokenId());
    const identifier = encodeL402Identifier({ paymentHash, tokenId });
    expect(rootKeyIdOf(identifier)).toEqual(sha256(identifier));
  });
});
