/** WWW-Authenticate parsing on the payer side: every form real servers send. */
import { describe, expect, it } from "vitest";
import { parseL402Challenges } from "@/packages/l402/src/client/index";

const MAC = "AgEEbHNhdAJCAAD+YwI2uzy9Y3Ez/pG7gOsyuEjHgIYUo4DkNqG5Y3Ez/pG7gOsyuEjHgIYUo4DkNqG5AAIaMDg5EBpPrw==";
const INVOICE = "lnbcrt10u1pjunk";

describe("parseL402Challenges", () => {
  it("reads Tollbooth's and Aperture's form", () => {
    expect(parseL402Challenges(`L402 macaroon="${MAC}", invoice="${INVOICE}"`)).toEqual([
      { scheme: "L402", macaroon: MAC, invoice: INVOICE },
    ]);
  });

  it('reads LSAT, any case of the scheme, token= and version="0" without commas', () => {
    expect(parseL402Challenges(`lsat version="0" token="${MAC}" invoice="${INVOICE}"`)).toEqual([
      { scheme: "LSAT", macaroon: MAC, invoice: INVOICE, version: "0" },
    ]);
    expect(parseL402Challenges(`l402 version=0, token=${MAC}, invoice=${INVOICE}`)).toEqual([
      { scheme: "L402", macaroon: MAC, invoice: INVOICE, version: "0" },
    ]);
  });

  it("reads several challenges in one header, skipping other schemes and text inside quotes", () => {
    const header = `Bearer realm="L402 macaroon=\\"x\\"", error="invalid_token", LSAT macaroon="${MAC}", invoice="${INVOICE}", Basic realm="x", L402 macaroon="${MAC}", invoice="lnbcrt20u1other"`;
    expect(parseL402Challenges(header)).toEqual([
      { scheme: "LSAT", macaroon: MAC, invoice: INVOICE },
      { scheme: "L402", macaroon: MAC, invoice: "lnbcrt20u1other" },
    ]);
  });

  it("skips incomplete or malformed challenges", () => {
    expect(parseL402Challenges(null)).toEqual([]);
    expect(parseL402Challenges("")).toEqual([]);
    expect(parseL402Challenges(`L402 macaroon="${MAC}"`)).toEqual([]);
    expect(parseL402Challenges(`L402 macaroon="not base64!", invoice="${INVOICE}"`)).toEqual([]);
    expect(parseL402Challenges(`L402 macaroon="${MAC}", invoice="lnbc 1 injected"`)).toEqual([]);
    expect(parseL402Challenges(`Negotiate YIIabc==, L402 macaroon="${MAC}", invoice="${INVOICE}"`)).toEqual([
      { scheme: "L402", macaroon: MAC, invoice: INVOICE },
    ]);
  });
});
