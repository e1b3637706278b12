// Issue 8, item 1: the Lightning address is validated by resolving its LNURL-pay document
// (LUD-16), and in development a simulated LNURL-pay server answers for the app's own host
// with real invoices of the simulated node whose description hash is sha256(metadata).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant, PASSWORD } from "../helpers/factories";
import { createApiApp } from "../../lib/api/app";
import { isApiPath } from "../../server";
import { simulatedLnurlEnabled, simulatedLnurlHosts } from "../../lib/dev/tools";
import { decodeInvoiceBasic } from "../../lib/lightning/bolt11";
import { createSimulatedBackend } from "../../lib/lightning/simulated";
import { parseLightningAddress, publicOnlyFetch, requestLnurlInvoice, resolveLightningAddress } from "../../lib/payouts/lnurl";
import { setLightningAddress } from "../../lib/tenants/lightning-address";
import { seedDemo } from "../../lib/seed/demo";
import { listAuditEvents } from "../../lib/audit/list";
import { isPublicIp } from "../../lib/keys/ip-allowlist";

let t: TestDatabase;
let app: ReturnType<typeof createApiApp>;
// The app's own host, as a test-time PORT would make it.
const HOST = "localhost:3000";
const LOCAL = { localHosts: [HOST] };
/** fetch into the in-process Hono app: the simulated LNURL server as an HTTP peer sees it. */
const appFetch: typeof fetch = async (input, init) => app.fetch(new Request(input, init));

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => {
  await t.drop();
});

/** A fake LNURL server: one JSON answer (or a thrown error) for every request. */
function answering(status: number, body: unknown): typeof fetch {
  return async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
}
const goodDocument = {
  tag: "payRequest",
  callback: "https://pay.example.com/lnurlp/alice/callback",
  minSendable: 1000,
  maxSendable: 100_000_000_000,
  metadata: JSON.stringify([
    ["text/plain", "Pay alice"],
    ["text/identifier", "alice@pay.example.com"],
  ]),
};

describe("resolveLightningAddress (LUD-16)", () => {
  it("resolves https://domain/.well-known/lnurlp/user and reads the pay request", async () => {
    const urls: string[] = [];
    const payRequest = await resolveLightningAddress(" Alice@Pay.Example.com ", {
      fetch: async (input) => {
        urls.push(String(input));
        return new Response(JSON.stringify(goodDocument));
      },
    });
    expect(urls).toEqual(["https://pay.example.com/.well-known/lnurlp/alice"]);
    expect(payRequest).toMatchObject({
      address: "alice@pay.example.com",
      callback: goodDocument.callback,
      minSendableMsat: 1000n,
      maxSendableMsat: 100_000_000_000n,
      description: "Pay alice",
      commentAllowed: 0,
    });
  });

  it("refuses what is not a Lightning address, with a message to act on", async () => {
    for (const bad of ["alice", "alice@", "@example.com", "a b@example.com", "alice@exa mple.com"]) {
      await expect(resolveLightningAddress(bad, { fetch: answering(200, goodDocument) })).rejects.toMatchObject({
        code: "invalid_lightning_address",
        param: "lightningAddress",
      });
    }
    // Private hosts: no server-side requests to them (SSRF), unless it is the app's own host.
    for (const internal of ["alice@localhost", "alice@127.0.0.1", "alice@10.0.0.1", "alice@example.com:8080", "alice@intranet"]) {
      await expect(resolveLightningAddress(internal, { fetch: answering(200, goodDocument), localHosts: [] })).rejects.toMatchObject({
        code: "invalid_lightning_address",
      });
    }
  });

  it("says what is wrong with a document that is not a pay request", async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...goodDocument, tag: "withdrawRequest" }, /tag is not "payRequest"/],
      [{ ...goodDocument, callback: undefined }, /callback is missing/],
      [{ ...goodDocument, callback: "http://pay.example.com/cb" }, /not an https:\/\/ URL/],
      [{ ...goodDocument, minSendable: 0 }, /minSendable/],
      [{ ...goodDocument, minSendable: 5000, maxSendable: 1000 }, /minSendable is above its maxSendable/],
      [{ ...goodDocument, metadata: "not json" }, /metadata is not JSON/],
      [{ ...goodDocument, metadata: JSON.stringify([["image/png;base64", "x"]]) }, /no text\/plain entry/],
      ["<html>hello</html>", /not JSON/],
    ];
    for (const [body, message] of cases) {
      const attempt = resolveLightningAddress("alice@pay.example.com", { fetch: answering(200, body) });
      await expect(attempt).rejects.toMatchObject({ code: "lightning_address_invalid", message: expect.stringMatching(message) });
    }
  });

  it("reports 404s, LUD-06 errors, unreachable hosts and timeouts clearly", async () => {
    await expect(resolveLightningAddress("bob@pay.example.com", { fetch: answering(404, "Not found") })).rejects.toMatchObject({
      code: "lightning_address_not_found",
      message: "pay.example.com has no Lightning address “bob”.",
    });
    await expect(
      resolveLightningAddress("bob@pay.example.com", { fetch: answering(400, { status: "ERROR", reason: "User is disabled" }) }),
    ).rejects.toMatchObject({ code: "lightning_address_error", message: "pay.example.com refused: User is disabled" });
    await expect(resolveLightningAddress("bob@pay.example.com", { fetch: answering(500, "oops") })).rejects.toMatchObject({
      code: "lightning_address_invalid",
      message: expect.stringMatching(/answered HTTP 500/),
    });
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    };
    await expect(resolveLightningAddress("bob@pay.example.com", { fetch: refused })).rejects.toMatchObject({
      code: "lightning_address_unreachable",
      message: "Could not reach pay.example.com (ECONNREFUSED).",
    });
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    const started = Date.now();
    await expect(resolveLightningAddress("bob@pay.example.com", { fetch: hanging, timeoutMs: 200 })).rejects.toMatchObject({
      code: "lightning_address_timeout",
      message: "pay.example.com did not answer within 0.2 s.",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("the default fetch refuses hosts that resolve to private addresses", async () => {
    expect(isPublicIp("127.0.0.1")).toBe(false);
    expect(isPublicIp("::1")).toBe(false);
    expect(isPublicIp("::ffff:192.168.1.1")).toBe(false);
    expect(isPublicIp("172.20.0.1")).toBe(false);
    expect(isPublicIp("8.8.8.8")).toBe(true);
    expect(isPublicIp("2606:4700::1111")).toBe(true);
    // A public-looking name that resolves (DNS rebinding, say) to a private address.
    const rebinding = publicOnlyFetch(async () => [{ address: "93.184.216.34" }, { address: "10.0.0.5" }]);
    await expect(resolveLightningAddress("alice@evil.example.com", { fetch: rebinding })).rejects.toMatchObject({
      code: "lightning_address_unreachable",
      message: "Could not reach evil.example.com (it resolves to a private address).",
    });
    const missing = publicOnlyFetch(async () => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    });
    await expect(resolveLightningAddress("alice@nowhere.example.com", { fetch: missing })).rejects.toMatchObject({
      message: "Could not reach nowhere.example.com (no such domain).",
    });
    // A trailing dot does not sneak localhost past the shape check.
    await expect(resolveLightningAddress("alice@localhost.", { localHosts: [] })).rejects.toMatchObject({
      code: "invalid_lightning_address",
    });
  });
});

describe("the simulated LNURL-pay server (development)", () => {
  it("is on with the dev wallet and the simulated backend, for the app's own hosts only", () => {
    expect(simulatedLnurlEnabled({ NODE_ENV: "development" })).toBe(true);
    expect(simulatedLnurlEnabled({ NODE_ENV: "development", DEV_WALLET: "0" })).toBe(false);
    expect(simulatedLnurlEnabled({ NODE_ENV: "development", LIGHTNING_BACKEND: "lnd" })).toBe(false);
    expect(simulatedLnurlEnabled({ NODE_ENV: "production" })).toBe(false);
    expect(simulatedLnurlEnabled({ NODE_ENV: "production", DEV_WALLET: "1" })).toBe(true);
    expect(simulatedLnurlHosts({ NODE_ENV: "development", PORT: "3411", NEXTAUTH_URL: "http://tollbooth.test:8080" })).toEqual([
      "localhost:3411",
      "127.0.0.1:3411",
      "tollbooth.test:8080",
    ]);
    expect(simulatedLnurlHosts({ NODE_ENV: "production" })).toEqual([]);
    // server.ts hands /.well-known/lnurlp/ to the Hono app only while it is on.
    expect(isApiPath("/.well-known/lnurlp/demo", true)).toBe(true);
    expect(isApiPath("/.well-known/lnurlp/demo", false)).toBe(false);
  });

  it("serves a pay request that our resolver accepts, and its callback a real invoice for sha256(metadata)", async () => {
    const payRequest = await resolveLightningAddress(`demo@${HOST}`, { ...LOCAL, fetch: appFetch });
    expect(payRequest).toMatchObject({
      address: `demo@${HOST}`,
      url: `http://${HOST}/.well-known/lnurlp/demo`,
      callback: `http://${HOST}/api/dev/lnurlp/demo/callback`,
      minSendableMsat: 1000n,
    });
    expect(JSON.parse(payRequest.metadata)).toContainEqual(["text/identifier", `demo@${HOST}`]);

    const { bolt11, paymentHash } = await requestLnurlInvoice(payRequest, 21_000n, { ...LOCAL, fetch: appFetch });
    const decoded = decodeInvoiceBasic(bolt11);
    expect(decoded).toMatchObject({ network: "testnet", amountMsat: 21_000n, paymentHash, description: null });
    expect(decoded.descriptionHash).toBe(createHash("sha256").update(payRequest.metadata).digest("hex"));

    // The simulated node pays it like a payout would, and gets the real preimage back.
    const payer = createSimulatedBackend(t.db, { network: "testnet" });
    const paid = await payer.payInvoice({ bolt11, maxFeeMsat: 0n, timeoutSeconds: 5 });
    expect(paid.state).toBe("succeeded");
    if (paid.state !== "succeeded") return;
    expect(createHash("sha256").update(Buffer.from(paid.preimage, "hex")).digest("hex")).toBe(paymentHash);
  });

  it("answers LUD-06 errors for bad amounts, and requestLnurlInvoice checks min/max before asking", async () => {
    const tooMuch = await app.request(`http://${HOST}/api/dev/lnurlp/demo/callback?amount=99999999999999`);
    expect(tooMuch.status).toBe(400);
    expect(await tooMuch.json()).toMatchObject({ status: "ERROR", reason: expect.stringMatching(/between/) });
    const missing = await app.request(`http://${HOST}/api/dev/lnurlp/demo/callback`);
    expect(await missing.json()).toMatchObject({ status: "ERROR" });
    const payRequest = await resolveLightningAddress(`demo@${HOST}`, { ...LOCAL, fetch: appFetch });
    await expect(requestLnurlInvoice(payRequest, 999n, { ...LOCAL, fetch: appFetch })).rejects.toMatchObject({
      code: "lightning_address_amount_out_of_range",
    });
  });

  it("requestLnurlInvoice refuses an invoice for another amount or another description", async () => {
    const payRequest = await resolveLightningAddress(`demo@${HOST}`, { ...LOCAL, fetch: appFetch });
    // A server that answers every callback with an invoice for 5 sats.
    const fiveSats = await requestLnurlInvoice(payRequest, 5000n, { ...LOCAL, fetch: appFetch });
    const wrongAmount: typeof fetch = async () => Response.json({ pr: fiveSats.bolt11 });
    await expect(requestLnurlInvoice(payRequest, 6000n, { ...LOCAL, fetch: wrongAmount })).rejects.toMatchObject({
      message: expect.stringMatching(/5000 msat, not the 6000 asked for/),
    });
    const otherMetadata = { ...payRequest, metadata: JSON.stringify([["text/plain", "something else"]]) };
    await expect(requestLnurlInvoice(otherMetadata, 5000n, { ...LOCAL, fetch: wrongAmount })).rejects.toMatchObject({
      message: expect.stringMatching(/description hash is not the sha256 of the metadata/),
    });
  });
});

describe("setting the tenant's Lightning address", () => {
  it("saves it only once it resolved, records an audit event, and can remove it", async () => {
    const { user, tenant } = await ownerWithTenant(t.db);
    await expect(
      setLightningAddress(
        t.db,
        user.id,
        tenant.id,
        { lightningAddress: "nobody@pay.example.com", password: PASSWORD },
        {},
        { fetch: answering(404, "") },
      ),
    ).rejects.toMatchObject({ code: "lightning_address_not_found", param: "lightningAddress" });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).lightningAddress).toBeNull();

    const saved = await setLightningAddress(
      t.db,
      user.id,
      tenant.id,
      { lightningAddress: `Me@${HOST}`, password: PASSWORD },
      {},
      { ...LOCAL, fetch: appFetch },
    );
    expect(saved.lightningAddress).toBe(`me@${HOST}`);
    const stored = await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(stored.lightningAddress).toBe(`me@${HOST}`);
    expect(stored.lightningAddressVerifiedAt).toBeInstanceOf(Date);
    const [event] = await listAuditEvents(t.db, tenant.id);
    expect(event).toMatchObject({ action: "tenant.lightning_address_changed", actorUserId: user.id });

    await setLightningAddress(t.db, user.id, tenant.id, { lightningAddress: "", password: PASSWORD });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).lightningAddress).toBeNull();
  });

  it("tenant isolation: another tenant's owner and a viewer cannot change it", async () => {
    const a = await ownerWithTenant(t.db, "Tenant A");
    const b = await ownerWithTenant(t.db, "Tenant B");
    await setLightningAddress(
      t.db,
      a.user.id,
      a.tenant.id,
      { lightningAddress: `a@${HOST}`, password: PASSWORD },
      {},
      { ...LOCAL, fetch: appFetch },
    );
    await expect(
      setLightningAddress(
        t.db,
        b.user.id,
        a.tenant.id,
        { lightningAddress: `b@${HOST}`, password: PASSWORD },
        {},
        { ...LOCAL, fetch: appFetch },
      ),
    ).rejects.toMatchObject({ code: "tenant_not_found" });
    await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: b.user.id, role: "viewer" } });
    await expect(
      setLightningAddress(
        t.db,
        b.user.id,
        a.tenant.id,
        { lightningAddress: `b@${HOST}`, password: PASSWORD },
        {},
        { ...LOCAL, fetch: appFetch },
      ),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: a.tenant.id } })).lightningAddress).toBe(`a@${HOST}`);
  });

  it("the seeded demo tenant has one on the app's own host, which resolves", async () => {
    const demo = await seedDemo(t.db, { lightningAddressHost: HOST });
    const tenant = await t.db.tenant.findUniqueOrThrow({ where: { id: demo.tenantId } });
    expect(tenant.lightningAddress).toBe(`demo@${HOST}`);
    await expect(resolveLightningAddress(tenant.lightningAddress!, { ...LOCAL, fetch: appFetch })).resolves.toMatchObject({
      address: `demo@${HOST}`,
    });
    // Started again on another port: the demo address follows it.
    await seedDemo(t.db, { lightningAddressHost: "localhost:3999" });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: demo.tenantId } })).lightningAddress).toBe("demo@localhost:3999");
    expect(parseLightningAddress("demo@localhost:3999")).toMatchObject({ user: "demo", host: "localhost:3999" });
  });
});
