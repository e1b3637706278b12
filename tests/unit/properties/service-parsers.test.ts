// Property-based tests of the service's parsers of outside input: BOLT11 invoices (our
// decoder and the client's), caveats, request paths, CSV cells and Lightning addresses.
// Each either gives a value that keeps its invariants or refuses with its own error.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeInvoiceTerms } from "../../../packages/l402/src/client/bolt11";
import { csvCell } from "../../../lib/export/csv";
import { L402Error } from "../../../lib/l402/errors";
import { checkCaveats, parseCaveats } from "../../../lib/l402/caveats";
import { compareSpecificity, normalizeRequestPath, pathMatches } from "../../../lib/l402/path-pattern";
import { createNobleSigner, decodeInvoiceBasic, encodeInvoice } from "../../../lib/lightning/bolt11";
import { AppError } from "../../../lib/errors";
import { parseLightningAddress } from "../../../lib/payouts/lnurl";

const RUNS = { numRuns: 1000 };
const signer = createNobleSigner(new Uint8Array(32).fill(7));

/** A decoder's refusal is a plain Error with a reason, never a TypeError/RangeError. */
function refusesCleanly(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor.name).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError)$/);
    expect((error as Error).message.length).toBeGreaterThan(0);
  }
}

const invoiceFields = fc.record({
  network: fc.constantFrom("mainnet" as const, "testnet" as const, "regtest" as const, "signet" as const),
  amountMsat: fc.option(fc.bigInt({ min: 1n, max: 2_100_000_000_000_000_000n }), { nil: undefined }),
  timestamp: fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
  paymentHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  paymentSecret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  description: fc.string({ maxLength: 100 }),
  expirySeconds: fc.integer({ min: 1, max: 86_400 * 30 }),
});

describe("BOLT11", () => {
  it("what we encode, both decoders read back exactly", () => {
    fc.assert(
      fc.property(invoiceFields, (fields) => {
        const invoice = encodeInvoice(fields, signer);
        const decoded = decodeInvoiceBasic(invoice);
        expect(decoded.amountMsat).toBe(fields.amountMsat ?? null);
        expect(decoded.paymentHash).toBe(Buffer.from(fields.paymentHash).toString("hex"));
        expect(decoded.description).toBe(fields.description);
        expect(decoded.expiresAt).toBe(fields.timestamp + fields.expirySeconds);
        const terms = decodeInvoiceTerms(invoice);
        expect(terms.paymentHashHex).toBe(decoded.paymentHash);
        expect(terms.amountMsat).toBe(decoded.amountMsat);
      }),
      { numRuns: 200 },
    );
  });

  it("any one character changed in a real invoice is refused (bech32 catches it)", () => {
    fc.assert(
      fc.property(invoiceFields, fc.nat(), fc.constantFrom(..."qpzry9x8gf2tvdw0s3jn54khce6mua7l"), (fields, at, replacement) => {
        const invoice = encodeInvoice(fields, signer);
        const i = at % invoice.length;
        if (invoice[i] === replacement) return;
        const mutated = invoice.slice(0, i) + replacement + invoice.slice(i + 1);
        expect(() => decodeInvoiceBasic(mutated)).toThrow();
        refusesCleanly(() => decodeInvoiceBasic(mutated));
        refusesCleanly(() => decodeInvoiceTerms(mutated));
      }),
      { numRuns: 300 },
    );
  });

  it("arbitrary text is refused cleanly by both decoders", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.stringMatching(/^(lightning:)?ln(bc|tb|bcrt|tbs)[0-9]{0,6}[munp]?1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{0,300}$/),
    );
    fc.assert(
      fc.property(text, (candidate) => {
        refusesCleanly(() => decodeInvoiceBasic(candidate));
        refusesCleanly(() => decodeInvoiceTerms(candidate));
      }),
      RUNS,
    );
  });
});

describe("caveats", () => {
  const caveat = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc
      .tuple(fc.constantFrom("services", "tenant", "endpoint", "uses", "valid_until", "api_valid_until", "x"), fc.string({ maxLength: 40 }))
      .map(([key, value]) => `${key}=${value}`),
    fc.nat().map((n) => `uses=${n}`),
    fc.string({ maxLength: 30 }).map((path) => `endpoint=GET /${path}`),
  );

  it("any caveat list parses or is refused with an L402Error, and checking never throws", () => {
    fc.assert(
      fc.property(fc.array(caveat, { maxLength: 6 }), fc.string({ maxLength: 40 }), (raws, path) => {
        try {
          parseCaveats(raws);
        } catch (error) {
          expect(error).toBeInstanceOf(L402Error);
        }
        const result = checkCaveats(raws, {
          tenantId: "t1",
          method: "GET",
          path: `/${path}`,
          endpoint: { method: "GET", path: "/x" },
        } as never);
        expect(typeof result.ok).toBe("boolean");
      }),
      RUNS,
    );
  });
});

describe("request paths", () => {
  const pathish = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc
      .array(fc.constantFrom("a", "files", "..", ".", "", "%2e%2e", "%2E", "%2f", "%00", "admin", "ü", "%C3%BC", "?x=1", "#f"), {
        maxLength: 8,
      })
      .map((segments) => `/${segments.join("/")}`),
  );

  it("normalising is idempotent, absolute and leaves no dot segments", () => {
    fc.assert(
      fc.property(pathish, (raw) => {
        const once = normalizeRequestPath(raw);
        expect(normalizeRequestPath(once)).toBe(once);
        expect(once.startsWith("/")).toBe(true);
        expect(once.split("/").slice(1)).not.toContain("..");
        expect(once).not.toMatch(/\/\/|[?#]/);
      }),
      RUNS,
    );
  });

  it("a path escaping a wildcard's prefix never matches it", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "..", "%2e%2e", "."), { maxLength: 6 }), (segments) => {
        const path = normalizeRequestPath(`/files/${segments.join("/")}`);
        if (pathMatches("/files/*", path)) expect(path.startsWith("/files/")).toBe(true);
      }),
      RUNS,
    );
  });

  it("specificity is a consistent order (antisymmetric)", () => {
    const pattern = fc.array(fc.constantFrom("a", "b", ":id", "*"), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`);
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        expect(Math.sign(compareSpecificity(a, b))).toBe(-Math.sign(compareSpecificity(b, a)) || 0);
      }),
      RUNS,
    );
  });
});

describe("CSV cells", () => {
  /** RFC 4180 reader for one line of cells, enough to check what csvCell writes. */
  function readCell(cell: string): string {
    if (!cell.startsWith('"')) return cell;
    return cell.slice(1, -1).replace(/""/g, '"');
  }

  it("any text comes back from the cell as written (with at most a leading apostrophe) and never starts a formula", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const cell = csvCell(text);
        const read = readCell(cell);
        expect(read === text || read === `'${text}`).toBe(true);
        expect(read).not.toMatch(/^[=+\-@\t\r]/);
        // Quoted exactly when it must be, so a spreadsheet cannot split or join cells.
        if (/[",\r\n]/.test(read)) expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
        else expect(cell).toBe(read);
      }),
      RUNS,
    );
  });
});

describe("Lightning addresses", () => {
  it("any text parses to a lower-case user@host or is refused with a field error", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.emailAddress()), (input) => {
        try {
          const parsed = parseLightningAddress(input);
          expect(parsed.address).toBe(`${parsed.user}@${parsed.host}`);
          expect(parsed.address).toBe(parsed.address.toLowerCase());
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).param).toBe("lightningAddress");
        }
      }),
      RUNS,
    );
  });
});
