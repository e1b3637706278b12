/**
 * The client's amount-and-hash BOLT11 reader, checked against the BOLT 11 spec examples,
 * against invoices our own encoder signs (lib/lightning/bolt11), and against
 * light-bolt11-decoder.
 */
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { decode as lightDecode } from "light-bolt11-decoder";
import { describe, expect, it } from "vitest";
import { createNobleSigner, encodeInvoice, type Bolt11Network } from "@/lib/lightning/bolt11";
import { decodeInvoiceTerms } from "@/packages/l402/src/client/index";
import { decodeBech32 } from "@/packages/l402/src/client/bech32";

const SPEC_PAYMENT_HASH = "0001020304050607080900010203040506070809000102030405060708090102";
// From BOLT 11's examples.
const SPEC_DONATION =
  "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq8rkx3yf5tcsyz3d73gafnh3cax9rn449d9p5uxz9ezhhypd0elx87sjle52x86fux2ypatgddc6k63n7erqz25le42c4u4ecky03ylcqca784w";
const SPEC_COFFEE =
  "lnbc2500u1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp";
const SPEC_BEANS =
  "lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqpqsq67gye39hfg3zd8rgc80k32tvy9xk2xunwm5lzexnvpx6fd77en8qaq424dxgt56cag2dpt359k3ssyhetktkpqh24jqnjyw6uqd08sgptq44qu";

const signer = createNobleSigner(randomBytes(32));

function invoiceFor(network: Bolt11Network, amountMsat: bigint | undefined, paymentHash = randomBytes(32)): string {
  return encodeInvoice(
    {
      network,
      ...(amountMsat !== undefined ? { amountMsat } : {}),
      timestamp: 1_700_000_000,
      paymentHash,
      paymentSecret: randomBytes(32),
      description: "test",
      featureBits: [14],
    },
    signer,
  );
}

describe("decodeInvoiceTerms", () => {
  it("reads the BOLT 11 examples", () => {
    expect(decodeInvoiceTerms(SPEC_DONATION)).toEqual({ network: "mainnet", amountMsat: null, paymentHashHex: SPEC_PAYMENT_HASH });
    expect(decodeInvoiceTerms(SPEC_COFFEE)).toEqual({ network: "mainnet", amountMsat: 250_000_000n, paymentHashHex: SPEC_PAYMENT_HASH });
    expect(decodeInvoiceTerms(SPEC_BEANS)).toEqual({ network: "mainnet", amountMsat: 2_500_000_000n, paymentHashHex: SPEC_PAYMENT_HASH });
  });

  const cases: Array<[Bolt11Network, bigint, string]> = [
    ["mainnet", 100_000_000_000n, "lnbc1"],
    ["mainnet", 2_000_000_000n, "lnbc20m"],
    ["testnet", 1_000_000n, "lntb10u"],
    ["regtest", 21_000n, "lnbcrt210n"],
    ["signet", 1_500n, "lntbs15n"],
    ["regtest", 1n, "lnbcrt10p"],
    ["signet", 123n, "lntbs1230p"],
  ];
  for (const [network, amountMsat, prefix] of cases) {
    it(`reads ${prefix} as ${amountMsat} msat on ${network}`, () => {
      const paymentHash = randomBytes(32);
      const invoice = invoiceFor(network, amountMsat, paymentHash);
      expect(invoice.startsWith(`${prefix}1`)).toBe(true);
      expect(decodeInvoiceTerms(invoice)).toEqual({ network, amountMsat, paymentHashHex: bytesToHex(paymentHash) });
      // An independent decoder agrees.
      const sections = lightDecode(invoice).sections;
      expect(sections.find((section) => section.name === "amount")?.value).toBe(amountMsat.toString());
      expect(sections.find((section) => section.name === "payment_hash")?.value).toBe(bytesToHex(paymentHash));
    });
  }

  it("reads amountless invoices, upper case and the lightning: URI form", () => {
    const paymentHash = randomBytes(32);
    const invoice = invoiceFor("regtest", undefined, paymentHash);
    expect(decodeInvoiceTerms(invoice).amountMsat).toBeNull();
    expect(decodeInvoiceTerms(`lightning:${invoice.toUpperCase()}`).paymentHashHex).toBe(bytesToHex(paymentHash));
  });

  it("rejects a bad checksum, mixed case, a foreign prefix and sub-msat amounts", () => {
    const invoice = invoiceFor("regtest", 21_000n);
    const flipped = invoice.slice(0, 20) + (invoice[20] === "q" ? "p" : "q") + invoice.slice(21);
    expect(() => decodeInvoiceTerms(flipped)).toThrow(/checksum/);
    expect(() => decodeInvoiceTerms(invoice.slice(0, 10) + invoice.slice(10).toUpperCase())).toThrow(/mix/);
    expect(() => decodeInvoiceTerms("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")).toThrow(/prefix/);
    expect(() => decodeBech32(`lnbcrt15p1${"q".repeat(10)}`)).toThrow(/checksum/);
  });
});
