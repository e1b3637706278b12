// The header formats and crypto the middleware and the client share (from source, as the
// middleware's bundle has them), checked against macaroons minted with the protocol's full
// macaroon code (what the service mints with) and real-world header variants.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeMacaroon, mintMacaroon } from "../../packages/l402/src/shared/macaroon";
import { buildChallenge as serviceChallenge } from "../../packages/l402/src/shared/challenge";
import { decodeBase64, encodeBase64, encodeBase64Url } from "../../packages/l402/src/shared/base64";
import { bytesToHex, constantTimeEqual, hexToBytes, sha256 } from "../../packages/l402/src/shared/crypto";
import { decodeL402Identifier, encodeL402Identifier } from "../../packages/l402/src/shared/l402-identifier";
import { readMacaroonIdentifier } from "../../packages/l402/src/shared/macaroon-identifier";
import { buildAuthorization, findL402Token, parseAuthorization, preimageMatches } from "../../packages/l402/src/shared/authorization";
import { parseChallenge } from "../../packages/l402/src/shared/challenge";
import type { L402FormatError } from "../../packages/l402/src/shared/errors";

function serviceToken(caveats = ["services=acme:0", "acme_valid_until=1900000000", "uses=1"], location = "tollbooth") {
  const preimage = new Uint8Array(randomBytes(32));
  const paymentHash = sha256(preimage);
  const identifier = encodeL402Identifier({ paymentHash, tokenId: new Uint8Array(randomBytes(32)) });
  const macaroon = mintMacaroon({ rootKey: new Uint8Array(randomBytes(32)), identifier, location, caveats });
  return { preimage, paymentHash, identifier, bytes: encodeMacaroon(macaroon), base64: encodeBase64(encodeMacaroon(macaroon)) };
}

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as L402FormatError).code;
  }
  return "no error";
};

describe("base64", () => {
  it("round-trips every length in both alphabets, padded or not", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
      expect(decodeBase64(encodeBase64Url(bytes))).toEqual(bytes);
      expect(decodeBase64(encodeBase64(bytes).replace(/=+$/, ""))).toEqual(bytes);
    }
  });

  it("rejects what is not base64", () => {
    for (const text of ["a", "abcde", "ab=c", "ab c", "a==", "abc===", "ab!d", "YQ="]) expect(decodeBase64(text), text).toBeNull();
  });
});

describe("crypto", () => {
  it("sha256, hex and constant-time compare", () => {
    expect(bytesToHex(sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hexToBytes("00FFa0")).toEqual(Uint8Array.of(0, 255, 160));
    expect(() => hexToBytes("0g")).toThrow();
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });
});

describe("macaroon identifier", () => {
  it("reads the identifier of the service's V2 macaroons, with or without a location", () => {
    for (const location of ["tollbooth", ""]) {
      const token = serviceToken(undefined, location);
      expect(readMacaroonIdentifier(token.bytes)).toEqual(token.identifier);
      const identifier = decodeL402Identifier(readMacaroonIdentifier(token.bytes));
      expect(identifier.version).toBe(0);
      expect(identifier.paymentHash).toEqual(token.paymentHash);
    }
  });

  it("rejects other formats and identifiers", () => {
    expect(codeOf(() => readMacaroonIdentifier(Uint8Array.of(1, 2, 3)))).toBe("malformed_macaroon");
    expect(codeOf(() => readMacaroonIdentifier(Uint8Array.of(2, 2, 50, 1)))).toBe("malformed_macaroon");
    expect(codeOf(() => decodeL402Identifier(new Uint8Array(65)))).toBe("invalid_identifier");
    expect(codeOf(() => decodeL402Identifier(Uint8Array.of(0, 1, ...new Uint8Array(64))))).toBe("invalid_identifier");
  });
});

describe("parseAuthorization", () => {
  const token = serviceToken();
  const hex = bytesToHex(token.preimage);

  it("accepts L402 and LSAT in any case, URL-safe base64 and either case of hex", () => {
    const urlSafe = encodeBase64Url(token.bytes);
    for (const header of [
      `L402 ${token.base64}:${hex}`,
      `lsat ${token.base64}:${hex.toUpperCase()}`,
      `l402 ${urlSafe}:${hex}`,
      `  LSAT   ${token.base64}:${hex}  `,
    ]) {
      const credential = parseAuthorization(header);
      expect(credential.preimage).toEqual(token.preimage);
      const found = findL402Token(credential.macaroons);
      expect(found.identifier.paymentHash).toEqual(token.paymentHash);
      expect(preimageMatches(credential.preimage, found.identifier.paymentHash)).toBe(true);
    }
  });

  it("finds ours among several comma-separated macaroons", () => {
    const other = encodeBase64(
      encodeMacaroon(mintMacaroon({ rootKey: new Uint8Array(32), identifier: new TextEncoder().encode("not an L402 id") })),
    );
    const credential = parseAuthorization(`L402 ${other},${token.base64}:${hex}`);
    expect(credential.macaroons).toHaveLength(2);
    expect(findL402Token(credential.macaroons).macaroon).toBe(token.base64);
    expect(codeOf(() => findL402Token([other]))).toBe("invalid_identifier");
  });

  it("says why a credential is unreadable, without quoting it", () => {
    expect(codeOf(() => parseAuthorization(undefined))).toBe("missing_credential");
    expect(codeOf(() => parseAuthorization(`Bearer ${token.base64}`))).toBe("missing_credential");
    expect(codeOf(() => parseAuthorization(`L402 ${token.base64}`))).toBe("malformed_credential");
    expect(codeOf(() => parseAuthorization(`L402 ${token.base64}:${hex.slice(2)}`))).toBe("invalid_preimage");
    expect(codeOf(() => parseAuthorization(`L402 %%%:${hex}`))).toBe("malformed_credential");
    try {
      parseAuthorization(`L402 ${token.base64}:${hex}zz`);
    } catch (error) {
      expect((error as Error).message).not.toContain(hex);
    }
  });

  it("a wrong preimage does not match", () => {
    expect(preimageMatches(new Uint8Array(32), token.paymentHash)).toBe(false);
  });

  it("buildAuthorization writes what parseAuthorization reads", () => {
    expect(buildAuthorization({ macaroons: token.base64, preimage: token.preimage })).toBe(`L402 ${token.base64}:${hex}`);
    expect(buildAuthorization({ macaroons: [token.base64, token.base64], preimage: hex.toUpperCase(), scheme: "LSAT" })).toBe(
      `LSAT ${token.base64},${token.base64}:${hex}`,
    );
  });
});

describe("parseChallenge", () => {
  const token = serviceToken();
  const invoice = "lntb100n1pjexample0000000000";

  it("reads the service's own challenge and lnget's pattern agrees", () => {
    const header = serviceChallenge({ macaroon: token.bytes, invoice });
    expect(parseChallenge(header)).toEqual({ scheme: "L402", macaroon: token.base64, invoice });
    expect(/(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i.exec(header)?.[2]).toBe(token.base64);
  });

  it('reads LSAT, token= with version="0", no commas, bare values and other schemes before it', () => {
    expect(parseChallenge(`LSAT macaroon="${token.base64}", invoice="${invoice}"`).scheme).toBe("LSAT");
    expect(parseChallenge(`L402 version="0", token="${token.base64}", invoice="${invoice}"`)).toEqual({
      scheme: "L402",
      macaroon: token.base64,
      invoice,
      version: "0",
    });
    expect(parseChallenge(`L402 version="0" token="${token.base64}" invoice="${invoice}"`).macaroon).toBe(token.base64);
    expect(parseChallenge(`Bearer realm="api", l402 macaroon=${token.base64}, invoice=${invoice}`)).toMatchObject({
      scheme: "L402",
      invoice,
    });
  });

  it("rejects challenges without a base64 macaroon or a bare invoice", () => {
    expect(codeOf(() => parseChallenge(`Bearer realm="x"`))).toBe("malformed_challenge");
    expect(codeOf(() => parseChallenge(`L402 invoice="${invoice}"`))).toBe("malformed_challenge");
    expect(codeOf(() => parseChallenge(`L402 macaroon="${token.base64}", invoice="ln bc"`))).toBe("malformed_challenge");
    expect(codeOf(() => parseChallenge(null))).toBe("malformed_challenge");
  });
});
