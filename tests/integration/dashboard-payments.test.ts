// Issue 8, items 4, 6 and 8 (the dashboard's side): the payments and balance CSV downloads,
// the payment page and the Ctrl/⌘+K search, called as the signed-in member of a workspace.
// The sessions are stand-ins (tests/helpers/next-request-mocks.ts); the membership checks,
// the mode cookie, the queries and Postgres are the real ones. Payments are made through
// the real API (invoice → dev wallet → verify); expected amounts come from the postings.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { issue, paidCall, payInvoice } from "../helpers/payments";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import { uniqueEmail } from "../helpers/factories";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey, type KeyMode } from "../../lib/keys/api-keys";
import { settlePaidInvoices } from "../../lib/invoices/watch";
import { accounts } from "../../lib/ledger/accounts";
import { accountBalanceMsat } from "../../lib/ledger/balances";
import { lightningBackendFor } from "../../lib/lightning/select";
import { BALANCE_CSV_HEADER, PAYMENT_CSV_HEADER } from "../../lib/stats/export";
import { listPayments } from "../../lib/stats";
import { parsePaymentFilters } from "../../lib/dashboard/payment-filters";
import { createAccount } from "../../lib/tenants/accounts";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());

type Route = (request: Request) => Promise<Response>;
let t: TestDatabase;
let app: Api;
let routes: { payments: Route; balance: Route; search: Route };
let PaymentPage: (props: { params: Promise<{ paymentHash: string }> }) => Promise<unknown>;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let other: Awaited<ReturnType<typeof tenantWithKey>>;
const hashes = { premium: [] as string[], odd: "", failed: "", unredeemed: "", live: "", other: "" };

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  other = await tenantWithKey(t.db);
  const liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "production server", mode: "live" })).key;
  for (const tenant of [owner.tenant.id, other.tenant.id]) {
    await createEndpoint(t.db, tenant, { method: "GET", path: "/premium", priceSats: 100 });
    await createEndpoint(t.db, tenant, { method: "GET", path: "/odd", priceSats: 333 });
  }
  for (let i = 0; i < 2; i++) hashes.premium.push((await paidCall(app, owner.key, "GET /premium")).paymentHash);
  const failed = await paidCall(app, owner.key, "GET /premium");
  hashes.failed = failed.paymentHash;
  hashes.premium.push(failed.paymentHash);
  const release = await call(app, "POST", "/api/v1/l402/release", {
    key: owner.key,
    body: { paymentHash: failed.paymentHash, redemption: failed.redemption, status: 502, reason: "upstream down" },
  });
  expect(release.body).toMatchObject({ released: true });
  hashes.odd = (await paidCall(app, owner.key, "GET /odd")).paymentHash;
  // Paid and credited by the settlement watcher, never redeemed.
  const unredeemed = await issue(app, owner.key, "GET /odd");
  await payInvoice(app, unredeemed.invoice);
  expect((await settlePaidInvoices(t.db, { log: () => {} })).settled).toBe(1);
  hashes.unredeemed = unredeemed.paymentHash;
  await issue(app, owner.key, "GET /premium"); // a challenge nobody paid: not a payment
  // Books that must not show: the owner's live mode and another tenant.
  const live = await issue(app, liveKey, "GET /premium");
  const paid = await lightningBackendFor("live", t.db).payInvoice({ bolt11: live.invoice, maxFeeMsat: 0n, timeoutSeconds: 5 });
  if (paid.state !== "succeeded") throw new Error(`live payment ${paid.state}`);
  const verified = await call(app, "POST", "/api/v1/l402/verify", {
    key: liveKey,
    body: { authorization: `L402 ${live.macaroon}:${paid.preimage}`, method: "GET", path: "/premium" },
  });
  expect(verified.body.valid).toBe(true);
  hashes.live = live.paymentHash;
  hashes.other = (await paidCall(app, other.key, "GET /odd")).paymentHash;

  routes = {
    payments: (await import("../../app/dashboard/payments/export/route")).GET,
    balance: (await import("../../app/dashboard/balance/export/route")).GET,
    search: (await import("../../app/dashboard/search/route")).GET,
  };
  PaymentPage = (await import("../../app/dashboard/payments/[paymentHash]/page")).default;
});

afterAll(async () => {
  signOut();
  await t?.drop();
});

const ownTestHashes = () => [...hashes.premium, hashes.odd, hashes.unredeemed];

async function get(route: Route, path: string) {
  const response = await route(new Request(`http://localhost${path}`));
  return { response, text: await response.text() };
}

/** The CSV as rows of cells (our cells never hold commas or quotes, except where a test says). */
function csvRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.split("\r\n").filter(Boolean);
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i], cell])));
}

/** What the ledger says about one payment: its settlement entry's postings. */
async function ledgerAmounts(paymentHash: string, mode: KeyMode, tenantId: string) {
  const postings = await t.db.posting.findMany({ where: { entry: { idempotencyKey: `settle:${paymentHash}` } } });
  const of = (id: string) => postings.find((p) => p.accountId === id)?.amountMsat ?? 0n;
  return {
    amountMsat: of(accounts.platformLightning(mode).id),
    feeMsat: -of(accounts.platformFees(mode).id),
    netMsat: -of(accounts.tenantAvailable(mode, tenantId).id),
  };
}

const sats = (msat: bigint) => (Number(msat) / 1000).toString();

describe("payments CSV download", () => {
  it("holds every settled payment of the workspace's test book, with the ledger's amounts", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const { response, text } = await get(routes.payments, "/dashboard/payments/export");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="tollbooth-payments-${owner.tenant.slug}-test-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    expect(text.split("\r\n")[0]).toBe(PAYMENT_CSV_HEADER.join(","));
    const rows = csvRows(text);
    expect(rows.map((r) => r.payment_hash).sort()).toEqual(ownTestHashes().sort());
    for (const row of rows) {
      const ledger = await ledgerAmounts(row.payment_hash, "test", owner.tenant.id);
      expect(ledger.amountMsat).toBe(ledger.feeMsat + ledger.netMsat);
      expect(row).toMatchObject({
        mode: "test",
        amount_msat: ledger.amountMsat.toString(),
        amount_sats: sats(ledger.amountMsat),
        fee_msat: ledger.feeMsat.toString(),
        fee_sats: sats(ledger.feeMsat),
        net_msat: ledger.netMsat.toString(),
        net_sats: sats(ledger.netMsat),
      });
      expect(row.settled_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const byHash = Object.fromEntries(rows.map((r) => [r.payment_hash, r]));
    expect(byHash[hashes.odd]).toMatchObject({ endpoint: "GET /odd", amount_sats: "333", fee_msat: "999", net_msat: "332001" });
    expect(byHash[hashes.failed]).toMatchObject({ endpoint: "GET /premium", redeemed: "true", failed_calls: "1" });
    expect(byHash[hashes.unredeemed]).toMatchObject({ redeemed: "false", failed_calls: "0" });
  });

  it("exports exactly the page's filters: the same query string gives the same rows as the page, in its order", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const cases: [string, string[]][] = [
      [`?endpoint=${encodeURIComponent("GET /odd")}`, [hashes.odd, hashes.unredeemed]],
      ["?status=failed", [hashes.failed]],
      ["?status=unredeemed", [hashes.unredeemed]],
      [`?paymentHash=${hashes.odd.slice(0, 12).toUpperCase()}`, [hashes.odd]],
      // A date picker's "to" day is included; empty fields are no filter.
      [`?from=${today}&to=${today}&paymentHash=&status=`, ownTestHashes()],
      [`?from=${tomorrow}`, []],
      ["?sort=oldest", ownTestHashes()],
    ];
    for (const [query, expected] of cases) {
      const rows = csvRows((await get(routes.payments, `/dashboard/payments/export${query}`)).text).map((r) => r.payment_hash);
      expect(rows.slice().sort(), query).toEqual(expected.slice().sort());
      const { filters } = parsePaymentFilters(Object.fromEntries(new URLSearchParams(query)));
      const page = await listPayments(t.db, { tenantId: owner.tenant.id, mode: "test", ...filters, limit: 100 });
      expect(rows, query).toEqual(page.data.map((p) => p.paymentHash));
    }
    const oldest = csvRows((await get(routes.payments, "/dashboard/payments/export?sort=oldest")).text).map((r) => r.settled_at);
    expect(oldest).toEqual(oldest.slice().sort());
  });

  it("refuses a filter it cannot apply instead of exporting more than was asked for", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const bad = await get(routes.payments, "/dashboard/payments/export?paymentHash=xyz");
    expect(bad.response.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_filter", param: "paymentHash" } });
    const backwards = await get(routes.payments, "/dashboard/payments/export?from=2026-12-05&to=2026-12-01");
    expect(backwards.response.status).toBe(400);
    expect(JSON.parse(backwards.text).error.param).toBe("from");
  });

  it("another tenant's session never gets this workspace's payments, even naming them or forging the workspace cookie", async () => {
    signInAs(other.user.id, other.tenant.id, "test");
    const own = csvRows((await get(routes.payments, "/dashboard/payments/export")).text);
    expect(own.map((r) => r.payment_hash)).toEqual([hashes.other]);
    const named = await get(routes.payments, `/dashboard/payments/export?paymentHash=${hashes.odd}`);
    expect(named.response.status).toBe(200);
    expect(csvRows(named.text)).toEqual([]);
    // The workspace cookie is only a choice: without a membership it falls back to the user's own.
    signInAs(other.user.id, owner.tenant.id, "test");
    const forged = csvRows((await get(routes.payments, "/dashboard/payments/export")).text);
    expect(forged.map((r) => r.payment_hash)).toEqual([hashes.other]);
  });

  it("shows only the dashboard's mode", async () => {
    signInAs(owner.user.id, owner.tenant.id, "live");
    const { response, text } = await get(routes.payments, "/dashboard/payments/export");
    expect(response.headers.get("content-disposition")).toContain(`-${owner.tenant.slug}-live-`);
    expect(csvRows(text).map((r) => [r.payment_hash, r.mode])).toEqual([[hashes.live, "live"]]);
    const testHash = await get(routes.payments, `/dashboard/payments/export?paymentHash=${hashes.odd}`);
    expect(csvRows(testHash.text)).toEqual([]);
  });

  it("a viewer may download; a signed-out visitor is sent to sign in", async () => {
    const viewer = await createAccount(t.db, { email: uniqueEmail("viewer"), password: "correct horse battery", tenantName: "Own" });
    await t.db.membership.create({ data: { tenantId: owner.tenant.id, userId: viewer.user.id, role: "viewer" } });
    signInAs(viewer.user.id, owner.tenant.id, "test");
    expect(csvRows((await get(routes.payments, "/dashboard/payments/export")).text)).toHaveLength(ownTestHashes().length);
    signOut();
    const error = await routes.payments(new Request("http://localhost/dashboard/payments/export")).catch((e) => e);
    expect(redirectTarget(error)).toMatch(/^\/sign-in/);
  });
});

describe("balance history CSV download", () => {
  it("every movement of the available balance, newest first, with a running balance that ends at the ledger's balance", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const { response, text } = await get(routes.balance, "/dashboard/balance/export");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`tollbooth-balance-${owner.tenant.slug}-test-`);
    expect(text.split("\r\n")[0]).toBe(BALANCE_CSV_HEADER.join(","));
    const rows = csvRows(text);
    expect(rows.map((r) => r.payment_hash).sort()).toEqual(ownTestHashes().sort());
    const available = await accountBalanceMsat(t.db, accounts.tenantAvailable("test", owner.tenant.id));
    expect(rows[0].balance_msat).toBe(available.toString());
    let balance = available;
    for (const row of rows) {
      const ledger = await ledgerAmounts(row.payment_hash, "test", owner.tenant.id);
      expect(row).toMatchObject({ kind: "payment", amount_msat: ledger.netMsat.toString(), fee_msat: ledger.feeMsat.toString() });
      expect(row.balance_msat).toBe(balance.toString());
      balance -= ledger.netMsat;
    }
    expect(balance).toBe(0n);
  });

  it("is the session's own workspace and mode only", async () => {
    signInAs(other.user.id, owner.tenant.id, "test"); // a forged workspace cookie
    expect(csvRows((await get(routes.balance, "/dashboard/balance/export")).text).map((r) => r.payment_hash)).toEqual([hashes.other]);
    signInAs(owner.user.id, owner.tenant.id, "live");
    expect(csvRows((await get(routes.balance, "/dashboard/balance/export")).text).map((r) => r.payment_hash)).toEqual([hashes.live]);
  });
});

describe("payment page", () => {
  const open = (paymentHash: string) => PaymentPage({ params: Promise.resolve({ paymentHash }) });
  const notFound = (error: unknown) => String((error as { digest?: string })?.digest).endsWith(";404");

  it("opens for the workspace's own payment in the dashboard's mode, and is not found for anyone else's", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    await expect(open(hashes.failed)).resolves.toBeTruthy();
    for (const hash of [hashes.other, hashes.live, "not-a-hash", "ab".repeat(32)]) {
      expect(notFound(await open(hash).catch((e) => e)), hash).toBe(true);
    }
    signInAs(other.user.id, other.tenant.id, "test");
    expect(notFound(await open(hashes.failed).catch((e) => e))).toBe(true);
    signInAs(other.user.id, owner.tenant.id, "test"); // forged workspace cookie
    expect(notFound(await open(hashes.failed).catch((e) => e))).toBe(true);
    signInAs(owner.user.id, owner.tenant.id, "live");
    expect(notFound(await open(hashes.failed).catch((e) => e))).toBe(true);
    await expect(open(hashes.live)).resolves.toBeTruthy();
  });
});

describe("Ctrl/⌘+K search", () => {
  async function search(q: string) {
    const { response, text } = await get(routes.search, `/dashboard/search?q=${encodeURIComponent(q)}`);
    return { status: response.status, body: JSON.parse(text) };
  }

  it("finds the workspace's payments by hash prefix, its endpoints and its keys of the dashboard's mode", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const byPrefix = await search(hashes.odd.slice(0, 8).toUpperCase());
    expect(byPrefix.status).toBe(200);
    expect(byPrefix.body.payments).toEqual([
      expect.objectContaining({ paymentHash: hashes.odd, endpoint: "GET /odd", amountMsat: "333000" }),
    ]);
    expect((await search("prem")).body.endpoints).toEqual([expect.objectContaining({ method: "GET", path: "/premium", priceSats: 100 })]);
    expect((await search("test key")).body.keys).toEqual([expect.objectContaining({ name: "test key", revoked: false })]);
    // The live key belongs to the live dashboard only.
    expect((await search("production")).body.keys).toEqual([]);
    signInAs(owner.user.id, owner.tenant.id, "live");
    expect((await search("production")).body.keys).toEqual([expect.objectContaining({ name: "production server" })]);
    expect((await search(hashes.odd.slice(0, 8))).body.payments).toEqual([]);
    expect((await search(hashes.live.slice(0, 8))).body.payments).toEqual([expect.objectContaining({ paymentHash: hashes.live })]);
  });

  it("never finds another tenant's payments, endpoints or keys", async () => {
    signInAs(other.user.id, other.tenant.id, "test");
    for (const hash of ownTestHashes()) expect((await search(hash.slice(0, 10))).body.payments).toEqual([]);
    expect((await search(hashes.other.slice(0, 10))).body.payments).toHaveLength(1);
    expect((await search("prem")).body.endpoints.map((e: { id: string }) => e.id)).toEqual([
      (await t.db.endpoint.findFirstOrThrow({ where: { tenantId: other.tenant.id, path: "/premium" } })).id,
    ]);
    signInAs(other.user.id, owner.tenant.id, "test"); // forged workspace cookie
    expect((await search(hashes.odd.slice(0, 10))).body.payments).toEqual([]);
  });

  it("treats LIKE wildcards as text and answers a bad query in the error shape", async () => {
    signInAs(owner.user.id, owner.tenant.id, "test");
    const wildcard = await search("%");
    expect(wildcard.body).toEqual({ payments: [], endpoints: [], keys: [] });
    const empty = await search("  ");
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_search", param: "q" } });
  });
});
