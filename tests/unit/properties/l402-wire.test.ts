// Property-based tests of the parsers that read what payers send: the Authorization
// credential, the WWW-Authenticate challenge, V2 macaroons and base64. Whatever the input,
// a parser either returns a value that round-trips or throws its own format error
// (L402FormatError), never a TypeError or RangeError from half-read input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCaveats,
  buildAuthorization,
  buildChallenge,
  decodeBase64,
  decodeMacaroon,
  encodeBase64,
  encodeBase64Url,
  encodeL402Identifier,
  encodeMacaroon,
  L402FormatError,
  macaroonFromBase64,
  macaroonToBase64,
  mintMacaroon,
  parseAuthorization,
  parseChallenge,
  verifyMacaroonSignature,
} from "../../../packages/l402/src/protocol/index";
import { portableDecodeBase64, portableEncodeBase64 } from "../../../packages/l402/src/shared/base64";

const RUNS = { numRuns: 2000 };

/** Runs `parse`; a throw must be the parser's own error type. */
function onlyFormatErrors<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(L402FormatError);
    return undefined;
  }
}

// Strings that look like what the parsers expect, with hostile pieces mixed in.
const headerish = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc
    .tuple(
      fc.constantFrom("L402", "LSAT", "l402", "Bearer", "L402  ", ""),
      fc.constantFrom(" ", "", "\t", ", "),
      fc.string({ maxLength: 120 }),
      fc.constantFrom(":", "::", "", ",", '"'),
      fc.string({ maxLength: 80 }),
    )
    .map((parts) => parts.join("")),
  fc.base64String({ maxLength: 200 }).map((b64) => `L402 ${b64}:${"ab".repeat(32)}`),
);

const macaroonArbitrary = fc
  .record({
    location: fc.string({ maxLength: 40 }),
    paymentHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    tokenId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    rootKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    caveats: fc.array(fc.string({ maxLength: 60 }), { maxLength: 6 }),
  })
  .map(({ location, paymentHash, tokenId, rootKey, caveats }) => {
    const identifier = encodeL402Identifier({ paymentHash, tokenId });
    return { rootKey, macaroon: addCaveats(mintMacaroon({ location, identifier, rootKey }), caveats) };
  });

describe("Authorization: L402 <macaroon>:<preimage>", () => {
  it("any header either parses or is refused with a format error", () => {
    fc.assert(
      fc.property(headerish, (header) => {
        const credential = onlyFormatErrors(() => parseAuthorization(header));
        if (credential) expect(credential.preimage).toHaveLength(32);
      }),
      RUNS,
    );
  });

  it("what buildAuthorization writes, parseAuthorization reads back", () => {
    fc.assert(
      fc.property(macaroonArbitrary, fc.uint8Array({ minLength: 32, maxLength: 32 }), ({ macaroon }, preimage) => {
        const base64 = macaroonToBase64(macaroon);
        const credential = parseAuthorization(buildAuthorization({ macaroons: [base64, base64], preimage }));
        expect(Buffer.from(credential.preimage)).toEqual(Buffer.from(preimage));
        expect(credential.macaroons).toEqual([base64, base64]);
      }),
      { numRuns: 300 },
    );
  });
});

describe("WWW-Authenticate: L402 macaroon=..., invoice=...", () => {
  it("any header either parses or is refused with a format error", () => {
    const challengeish = fc.oneof(
      headerish,
      fc.tuple(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 })).map(([mac, inv]) => `L402 macaroon="${mac}", invoice="${inv}"`),
      fc.string({ maxLength: 80 }).map((s) => `L402 version="0", token="${s}", invoice="lnbc1${s}"`),
    );
    fc.assert(
      fc.property(challengeish, (header) => {
        onlyFormatErrors(() => parseChallenge(header));
      }),
      RUNS,
    );
  });

  it("round-trips a challenge built from any macaroon and invoice text", () => {
    fc.assert(
      fc.property(macaroonArbitrary, fc.stringMatching(/^ln[a-z0-9]{10,200}$/), ({ macaroon }, invoice) => {
        const parsed = parseChallenge(buildChallenge({ macaroon, invoice }));
        expect(parsed.invoice).toBe(invoice);
        expect(macaroonToBase64(macaroonFromBase64(parsed.macaroon))).toBe(macaroonToBase64(macaroon));
      }),
      { numRuns: 300 },
    );
  });
});

describe("V2 macaroons", () => {
  it("random bytes decode or fail with a format error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        onlyFormatErrors(() => decodeMacaroon(bytes));
      }),
      RUNS,
    );
  });

  it("a real macaroon with any byte changed, cut or extended fails cleanly or fails its signature", () => {
    fc.assert(
      fc.property(macaroonArbitrary, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ macaroon, rootKey }, at, xor) => {
        const bytes = encodeMacaroon(macaroon);
        const i = at % bytes.length;
        const mutated = Uint8Array.from(bytes);
        mutated[i] ^= xor;
        for (const candidate of [mutated, bytes.subarray(0, i), Uint8Array.from([...bytes, xor])]) {
          const decoded = onlyFormatErrors(() => decodeMacaroon(candidate));
          // A changed byte that still decodes must not still carry a valid signature, but
          // for the location, which macaroons leave unsigned by design (a hint, not a claim).
          if (decoded && verifyMacaroonSignature(decoded, rootKey)) {
            expect({ ...decoded, location: "" }).toEqual({ ...macaroon, location: "" });
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("encode → decode is the identity and keeps the signature valid", () => {
    fc.assert(
      fc.property(macaroonArbitrary, ({ macaroon, rootKey }) => {
        const decoded = decodeMacaroon(encodeMacaroon(macaroon));
        expect(decoded).toEqual(macaroon);
        expect(verifyMacaroonSignature(decoded, rootKey)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("base64 text of any kind decodes or fails with a format error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.base64String({ maxLength: 300 })), (text) => {
        onlyFormatErrors(() => macaroonFromBase64(text));
      }),
      RUNS,
    );
  });
});

describe("base64 as L402 uses it", () => {
  it("standard and URL-safe encodings both decode to the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
        expect(decodeBase64(encodeBase64Url(bytes))).toEqual(bytes);
      }),
      RUNS,
    );
  });

  it("Node's Buffer path and the portable one (browsers, Workers) agree on every input", () => {
    const same = (a: Uint8Array | null, b: Uint8Array | null) => (a === null || b === null ? a === b : Buffer.compare(a, b) === 0);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 120 }), fc.base64String({ maxLength: 120 })), (text) => {
        expect(same(decodeBase64(text), portableDecodeBase64(text))).toBe(true);
        const urlSafe = text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
        expect(same(decodeBase64(urlSafe), portableDecodeBase64(urlSafe))).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64(bytes)).toBe(portableEncodeBase64(bytes));
      }),
      RUNS,
    );
  });

  it("any text gives bytes or null, never a throw", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        const bytes = decodeBase64(text);
        expect(bytes === null || bytes instanceof Uint8Array).toBe(true);
      }),
      RUNS,
    );
  });
});
