import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { base64, base64nopad, base64url, base64urlnopad } from "@scure/base";
import { fetchWithL402, makeL402AuthenticateHeader, parseL402 } from "@getalby/lightning-tools/402/l402";
import {
  buildAuthorization,
  buildCaveats,
  buildChallenge,
  checkCaveats,
  encodeL402Identifier,
  encodeMacaroon,
  findL402Macaroon,
  macaroonFromBase64,
  macaroonToBase64,
  mintMacaroon,
  parseAuthorization,
  parseChallenge,
  preimageMatches,
  verifyMacaroonSignature,
} from "@/lib/l402";
import { codeOf } from "../helpers/l402-error-code";

// BOLT 11's "1 cup coffee" example: a real, signed (long expired) invoice.
const invoice =
  "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";
const preimage = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const paymentHash = sha256(preimage);
const tokenId = Uint8Array.from({ length: 32 }, (_, i) => i);
const identifier = encodeL402Identifier({ paymentHash, tokenId });
const rootKey = Uint8Array.from({ length: 32 }, (_, i) => 3 * i);
const caveats = buildCaveats({ service: { name: "weather" }, tenantId: "tn_1", endpoint: { method: "GET", path: "/premium" }, uses: 1 });
const context = { service: "weather", tenantId: "tn_1", method: "GET", path: "/premium", usesSoFar: 0 };
const macaroon = mintMacaroon({ rootKey, identifier, location: "tollbooth", caveats });
const macaroonBytes = encodeMacaroon(macaroon);
const macaroonBase64 = base64.encode(macaroonBytes);
const preimageHex = bytesToHex(preimage);
// lnget's pattern, `(?i)(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"`, in JS.
const LNGET_CHALLENGE = /(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i;

describe("the challenge we send", () => {
  const challenge = buildChallenge({ macaroon, invoice });

  it('is exactly L402 macaroon="<std base64>", invoice="<bolt11>"', () => {
    expect(challenge).toBe(`L402 macaroon="${macaroonBase64}", invoice="${invoice}"`);
    expect(buildChallenge({ macaroon: macaroonBytes, invoice })).toBe(challenge);
  });

  it("matches lnget's challenge pattern", () => {
    const match = LNGET_CHALLENGE.exec(challenge);
    expect(match?.[1]).toBe("L402");
    expect(match?.[2]).toBe(macaroonBase64);
    expect(match?.[3]).toBe(invoice);
  });

  it("parses with Alby's parseL402 (used by fetchWithL402)", () => {
    const parsed = parseL402(challenge);
    expect(parsed.token).toBe(macaroonBase64);
    expect(parsed.invoice).toBe(invoice);
  });

  it("parses back with ours", () => {
    expect(parseChallenge(challenge)).toEqual({ scheme: "L402", macaroon: macaroonBase64, invoice });
  });

  it("refuses an invoice that could break out of the quotes", () => {
    expect(codeOf(() => buildChallenge({ macaroon, invoice: 'lnbc1", x="y' }))).toBe("invalid_argument");
  });
});

describe("parsing challenges", () => {
  it.each([
    ["LSAT", `LSAT macaroon="${macaroonBase64}", invoice="${invoice}"`, "LSAT"],
    ["lower-case scheme", `l402 macaroon="${macaroonBase64}", invoice="${invoice}"`, "L402"],
    ["token= with version", `L402 version="0", token="${macaroonBase64}", invoice="${invoice}"`, "L402"],
    ["Alby's own header", makeL402AuthenticateHeader({ token: macaroonBase64, invoice }), "L402"],
    ["bare values, odd spacing", `L402   macaroon=${macaroonBase64} ,invoice=${invoice}`, "L402"],
    ["upper-case keys", `L402 MACAROON="${macaroonBase64}", Invoice="${invoice}"`, "L402"],
    ["after another challenge", `Bearer realm="api", L402 macaroon="${macaroonBase64}", invoice="${invoice}"`, "L402"],
    ["before another challenge", `LSAT macaroon="${macaroonBase64}", invoice="${invoice}", Basic realm="x"`, "LSAT"],
  ])("%s", (_name, header, scheme) => {
    const parsed = parseChallenge(header);
    expect(parsed).toMatchObject({ scheme, macaroon: macaroonBase64, invoice });
  });

  it('keeps version="0" when sent', () => {
    expect(parseChallenge(`L402 version="0", token="${macaroonBase64}", invoice="${invoice}"`).version).toBe("0");
  });

  it.each([
    ["no L402 scheme", `Bearer realm="x"`],
    ["no macaroon", `L402 invoice="${invoice}"`],
    ["no invoice", `L402 macaroon="${macaroonBase64}"`],
    ["a macaroon that is not base64", `L402 macaroon="***", invoice="${invoice}"`],
    ["empty", ""],
  ])("rejects %s as malformed_challenge", (_name, header) => {
    expect(codeOf(() => parseChallenge(header))).toBe("malformed_challenge");
  });
});

describe("parsing Authorization", () => {
  const otherMacaroon = mintMacaroon({ rootKey, identifier: new TextEncoder().encode("not-an-l402-id") });
  const otherBase64 = macaroonToBase64(otherMacaroon);

  it.each([
    ["L402, standard base64", `L402 ${macaroonBase64}:${preimageHex}`],
    ["LSAT", `LSAT ${macaroonBase64}:${preimageHex}`],
    ["lower-case scheme", `l402 ${macaroonBase64}:${preimageHex}`],
    ["mixed-case LSAT", `LsAt ${macaroonBase64}:${preimageHex}`],
    ["URL-safe base64 without padding", `L402 ${base64urlnopad.encode(macaroonBytes)}:${preimageHex}`],
    ["URL-safe base64 with padding", `L402 ${base64url.encode(macaroonBytes)}:${preimageHex}`],
    ["standard base64 without padding", `L402 ${base64nopad.encode(macaroonBytes)}:${preimageHex}`],
    ["upper-case hex", `L402 ${macaroonBase64}:${preimageHex.toUpperCase()}`],
    ["extra whitespace", `  L402   ${macaroonBase64} : ${preimageHex}  `],
    ["our buildAuthorization", buildAuthorization({ macaroons: macaroonToBase64(macaroon), preimage })],
  ])("%s", (_name, header) => {
    const credential = parseAuthorization(header);
    expect(credential.macaroons.map(macaroonFromBase64)).toEqual([macaroon]);
    expect(credential.preimage).toEqual(preimage);
    expect(credential.scheme).toBe(header.trim().slice(0, 4).toUpperCase());
  });

  it("returns every comma-separated macaroon, and findL402Macaroon picks ours by identifier", () => {
    const credential = parseAuthorization(`L402 ${otherBase64}, ${base64urlnopad.encode(macaroonBytes)}:${preimageHex}`);
    expect(credential.macaroons.map(macaroonFromBase64)).toEqual([otherMacaroon, macaroon]);
    const found = findL402Macaroon(credential.macaroons);
    expect(found.macaroon).toEqual(macaroon);
    expect(found.identifier).toEqual({ version: 0, paymentHash, tokenId });
    expect(buildAuthorization({ macaroons: [otherMacaroon, macaroon].map(macaroonToBase64), preimage, scheme: "LSAT" })).toBe(
      `LSAT ${otherBase64},${macaroonBase64}:${preimageHex}`,
    );
  });

  it.each([
    ["absent", undefined, "missing_credential"],
    ["empty", "", "missing_credential"],
    ["another scheme", `Bearer ${macaroonBase64}:${preimageHex}`, "missing_credential"],
    ["scheme glued to the token", `L402${macaroonBase64}:${preimageHex}`, "missing_credential"],
    ["scheme only", "L402", "malformed_credential"],
    ["no colon", `L402 ${macaroonBase64}`, "malformed_credential"],
    ["no macaroon", `L402 :${preimageHex}`, "malformed_credential"],
    ["an empty macaroon in the list", `L402 ${macaroonBase64},:${preimageHex}`, "malformed_credential"],
    ["garbage base64", `L402 not*base64!:${preimageHex}`, "malformed_credential"],
    ["impossible base64 length", `L402 ${macaroonBase64.slice(0, 5)}:${preimageHex}`, "malformed_credential"],
    ["bad padding", `L402 ${macaroonBase64.replace(/=*$/, "===")}:${preimageHex}`, "malformed_credential"],
    ["bad hex", `L402 ${macaroonBase64}:${"zz".repeat(32)}`, "invalid_preimage"],
    ["short preimage", `L402 ${macaroonBase64}:${preimageHex.slice(2)}`, "invalid_preimage"],
    ["long preimage", `L402 ${macaroonBase64}:${preimageHex}00`, "invalid_preimage"],
    ["empty preimage", `L402 ${macaroonBase64}:`, "invalid_preimage"],
    ["base64 of garbage bytes", `L402 ${base64.encode(new TextEncoder().encode("hello world"))}:${preimageHex}`, "malformed_macaroon"],
    ["a truncated macaroon", `L402 ${base64.encode(macaroonBytes.slice(0, 40))}:${preimageHex}`, "malformed_macaroon"],
  ])("rejects %s as %s", (_name, header, code) => {
    // Parsing checks the form and the base64; reading our macaroon checks its bytes.
    expect(codeOf(() => findL402Macaroon(parseAuthorization(header).macaroons))).toBe(code);
  });

  it("rejects a macaroon whose identifier has the wrong length or version as invalid_identifier", () => {
    const wrongLength = mintMacaroon({ rootKey, identifier: identifier.slice(0, 65) });
    const wrongVersion = mintMacaroon({ rootKey, identifier: Uint8Array.from([0, 1, ...identifier.slice(2)]) });
    for (const bad of [wrongLength, wrongVersion, otherMacaroon]) {
      const credential = parseAuthorization(buildAuthorization({ macaroons: macaroonToBase64(bad), preimage }));
      expect(codeOf(() => findL402Macaroon(credential.macaroons))).toBe("invalid_identifier");
    }
    expect(() => findL402Macaroon([wrongVersion, wrongLength].map(macaroonToBase64))).toThrow(/version 1/);
  });
});

describe("preimageMatches", () => {
  it("is sha256(preimage) == paymentHash", () => {
    expect(preimageMatches(preimage, paymentHash)).toBe(true);
    expect(preimageMatches(parseAuthorization(`L402 ${macaroonBase64}:${preimageHex.toUpperCase()}`).preimage, paymentHash)).toBe(true);
    const wrong = preimage.slice();
    wrong[0]! ^= 1;
    expect(preimageMatches(wrong, paymentHash)).toBe(false);
    expect(preimageMatches(paymentHash, preimage)).toBe(false);
    expect(preimageMatches(preimage.slice(1), paymentHash)).toBe(false);
    expect(preimageMatches(preimage, paymentHash.slice(1))).toBe(false);
  });
});

describe("a full round with Alby's fetchWithL402 as the payer", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each(["L402", "LSAT"] as const)("pays our %s challenge and sends a credential we accept", async (scheme) => {
    const seen: (string | null)[] = [];
    // A toy server: challenge without a credential; otherwise verify as the service will.
    vi.stubGlobal("fetch", async (_url: string, init?: RequestInit) => {
      const authorization = new Headers(init?.headers).get("authorization");
      seen.push(authorization);
      if (!authorization) {
        const challenge = buildChallenge({ macaroon, invoice }).replace(/^L402/, scheme);
        return new Response("{}", { status: 402, headers: { "WWW-Authenticate": challenge } });
      }
      const credential = parseAuthorization(authorization);
      const ours = findL402Macaroon(credential.macaroons);
      const valid =
        preimageMatches(credential.preimage, ours.identifier.paymentHash) &&
        verifyMacaroonSignature(ours.macaroon, rootKey) &&
        checkCaveats(ours.macaroon.caveats, context).ok;
      return new Response(valid ? "paid content" : "nope", { status: valid ? 200 : 402 });
    });
    const paid: string[] = [];
    const wallet = {
      payInvoice: async (args: { invoice: string }) => {
        paid.push(args.invoice);
        return { preimage: preimageHex };
      },
    };

    const response = await fetchWithL402("https://api.example/premium", {}, { wallet });

    expect(paid).toEqual([invoice]);
    expect(seen).toEqual([null, `${scheme} ${macaroonBase64}:${preimageHex}`]);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("paid content");
  });
});
