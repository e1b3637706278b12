// Property-based tests of two more kinds of outside input: the LNURL-pay documents a
// Lightning address's server answers with (payouts trust them only after checking them),
// and the webhook URLs owners type (never a private address unless the operator allows it).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors";
import { isPublicIp } from "../../../lib/keys/ip-allowlist";
import { resolveLightningAddress } from "../../../lib/payouts/lnurl";
import { checkEndpointUrl } from "../../../lib/webhooks/schemas";

const RUNS = { numRuns: 400 };

/** A fetch that answers every request with `body` (as the LNURL server would). */
const answering = (body: string, status = 200): typeof fetch => (async () => new Response(body, { status })) as typeof fetch;

const documentish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc
    .record(
      {
        tag: fc.oneof(fc.constant("payRequest"), fc.string({ maxLength: 12 })),
        callback: fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 }), fc.constant("http://10.0.0.1/cb")),
        minSendable: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }), fc.string({ maxLength: 12 }), fc.double()),
        maxSendable: fc.oneof(fc.integer({ min: -5, max: 10_000_000 }), fc.string({ maxLength: 12 }), fc.double()),
        metadata: fc.oneof(
          fc.constant('[["text/plain","pay me"]]'),
          fc.string({ maxLength: 40 }),
          fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        ),
        commentAllowed: fc.oneof(fc.nat(500), fc.integer({ min: -10, max: -1 }), fc.string({ maxLength: 5 })),
      },
      { requiredKeys: [] },
    )
    .map((document) => JSON.stringify(document)),
);

describe("LNURL-pay documents", () => {
  it("any answer is a checked pay request or a clear AppError, never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(documentish, fc.constantFrom(200, 404, 500), async (body, status) => {
        try {
          const pay = await resolveLightningAddress("alice@wallet.example.com", { fetch: answering(body, status), localHosts: [] });
          // What passed is what payouts rely on.
          expect(pay.minSendableMsat).toBeGreaterThan(0n);
          expect(pay.minSendableMsat <= pay.maxSendableMsat).toBe(true);
          expect(pay.callback.startsWith("https://")).toBe(true);
          expect(typeof pay.description).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).status).toBeLessThan(500);
        }
      }),
      RUNS,
    );
  });
});

describe("webhook URLs", () => {
  const privateHosts = fc.oneof(
    fc.tuple(fc.constantFrom(10, 127), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join(".")),
    fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `192.168.${a}.${b}`),
    fc.tuple(fc.integer({ min: 16, max: 31 }), fc.nat(255)).map(([a, b]) => `172.${a}.${b}.1`),
    fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `169.254.${a}.${b}`),
    fc.constantFrom("[::1]", "[fe80::1]", "[fd00::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "api.localhost", "0.0.0.0"),
  );

  it("a private or loopback host is refused unless the operator allows it", () => {
    fc.assert(
      fc.property(privateHosts, fc.constantFrom("http", "https"), fc.webPath(), (host, scheme, path) => {
        const url = `${scheme}://${host}${path}`;
        expect(checkEndpointUrl(url, "test", { NODE_ENV: "production" })).toHaveProperty("error");
        expect(checkEndpointUrl(url, "test", { NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE: "1" })).toHaveProperty("url");
      }),
      RUNS,
    );
  });

  it("any text is a stored URL (http or https, no credentials, no fragment) or a message", () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl({ withFragments: true, withQueryParameters: true }), fc.string({ maxLength: 100 })), (raw) => {
        const checked = checkEndpointUrl(raw, "live", { NODE_ENV: "production" });
        if ("url" in checked) {
          const url = new URL(checked.url);
          expect(url.protocol).toBe("https:"); // live in production: https only
          expect(url.username + url.password).toBe("");
          expect(url.hash).toBe("");
          const host = url.hostname.replace(/^\[|\]$/g, "");
          if (/^[\d.]+$/.test(host) || host.includes(":")) expect(isPublicIp(host)).toBe(true);
        } else {
          expect(checked.error.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });
});
