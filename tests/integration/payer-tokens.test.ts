// Payer tokens (prepaid balances) as the owner sees them: the API's list, detail, export and
// summary, the dashboard's token page, CSV exports and disabling. Every one of them is
// scoped to the workspace (or key) and its mode: another tenant's token is unknown.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { issue, payInvoice } from "../helpers/payments";
import { signInAs, signOut } from "../helpers/dashboard-session";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let other: Awaited<ReturnType<typeof tenantWithKey>>;
const balances: Record<"owner" | "other", string> = { owner: "", other: "" };
let ownerAuthorization = "";

/** Deposit 50 sats, then calls charging `costs` msat: through verify and charge, as the middleware does. */
async function meteredCalls(key: string, tenantId: string, costs: number[]) {
  await createEndpoint(t.db, tenantId, { method: "POST", path: "/llm", priceSats: 50, pricingMode: "metered", maxCostPerCallSats: 10 });
  const issued = await issue(app, key, "POST /llm");
  const authorization = `L402 ${issued.macaroon}:${await payInvoice(app, issued.invoice)}`;
  for (const [i, cost] of costs.entries()) {
    const verified = await call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method: "POST", path: "/llm" } });
    expect(verified.status).toBe(200);
    const charged = await call(app, "POST", "/api/v1/l402/charge", {
      key,
      body: {
        paymentHash: issued.paymentHash,
        redemption: verified.body.redemption,
        amountMsat: String(cost),
        description: `completion ${i + 1}`,
      },
    });
    expect(charged.body.applied).toBe(true);
  }
  const row = await t.db.prepaidBalance.findFirstOrThrow({ where: { tenantId } });
  return { id: row.id, authorization };
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db, { scopes: ["invoices:write", "payments:read", "stats:read"] });
  other = await tenantWithKey(t.db, { scopes: ["invoices:write", "payments:read", "stats:read"] });
  const mine = await meteredCalls(owner.key, owner.tenant.id, [1500, 2750, 9999]);
  balances.owner = mine.id;
  ownerAuthorization = mine.authorization;
  balances.other = (await meteredCalls(other.key, other.tenant.id, [10_000])).id;
});

afterAll(async () => {
  signOut();
  await t?.drop();
});

describe("the prepaid balances API", () => {
  it("lists, shows and sums the key's tenant's balances only", async () => {
    const list = await call(app, "GET", "/api/v1/prepaid-balances", { key: owner.key });
    expect(list.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(list.body.data.map((b: { id: string }) => b.id)).toEqual([balances.owner]);
    expect(list.body.data[0]).toMatchObject({
      status: "active",
      balanceMsat: "35751",
      spentMsat: "14249",
      depositedMsat: "50000",
      charges: 3,
    });

    const detail = await call(app, "GET", `/api/v1/prepaid-balances/${balances.owner}`, { key: owner.key });
    expect(
      detail.body.history.map((m: { kind: string; amountMsat: string; balanceAfterMsat: string }) => [
        m.kind,
        m.amountMsat,
        m.balanceAfterMsat,
      ]),
    ).toEqual([
      ["usage", "-9999", "35751"],
      ["usage", "-2750", "45750"],
      ["usage", "-1500", "48500"],
      ["deposit", "50000", "50000"],
    ]);
    expect((await call(app, "GET", `/api/v1/prepaid-balances/${balances.other}`, { key: owner.key })).status).toBe(404);

    const summary = await call(app, "GET", "/api/v1/stats/prepaid", { key: owner.key });
    expect(summary.body).toMatchObject({ balances: 1, outstandingMsat: "35751", chargesMsat: "14249", charges: 3, depositedMsat: "50000" });

    const csv = await (await app.request("/api/v1/prepaid-balances/export", { headers: { authorization: `Bearer ${owner.key}` } })).text();
    expect(csv).toContain(balances.owner);
    expect(csv).not.toContain(balances.other);
  });

  it("filters by status and searches by id", async () => {
    const low = await call(app, "GET", "/api/v1/prepaid-balances?status=low", { key: owner.key });
    expect(low.body.data).toEqual([]);
    const found = await call(app, "GET", `/api/v1/prepaid-balances?q=${balances.owner.slice(-6)}`, { key: owner.key });
    expect(found.body.data).toHaveLength(1);
    expect((await call(app, "GET", "/api/v1/prepaid-balances?limit=0", { key: owner.key })).status).toBe(400);
    expect((await call(app, "GET", "/api/v1/prepaid-balances?cursor=bad!", { key: owner.key })).status).toBe(400);
  });
});

describe("the payer tokens dashboard", () => {
  const notFound = (error: unknown) => String((error as { digest?: string })?.digest).endsWith(";404");

  it("opens the workspace's own token in its mode, and is not found for anyone else", async () => {
    const TokenPage = (await import("../../app/dashboard/payer-tokens/[id]/page")).default;
    const open = (id: string) => TokenPage({ params: Promise.resolve({ id }) });
    signInAs(owner.user.id, owner.tenant.id, "test");
    await expect(open(balances.owner)).resolves.toBeTruthy();
    expect(notFound(await open(balances.other).catch((e) => e))).toBe(true);
    signInAs(owner.user.id, owner.tenant.id, "live");
    expect(notFound(await open(balances.owner).catch((e) => e))).toBe(true);
  });

  it("exports the workspace's tokens and a token's history as CSV, nobody else's", async () => {
    const list = (await import("../../app/dashboard/payer-tokens/export/route")).GET;
    const history = (await import("../../app/dashboard/payer-tokens/[id]/history/route")).GET;
    signInAs(owner.user.id, owner.tenant.id, "test");
    const text = await (await list(new Request("http://localhost/dashboard/payer-tokens/export"))).text();
    expect(text.split("\r\n")[0]).toMatch(/^token_id,endpoint,status,balance_msat/);
    expect(text).toContain(balances.owner);
    expect(text).not.toContain(balances.other);
    const own = await history(new Request("http://localhost/"), { params: Promise.resolve({ id: balances.owner }) });
    expect((await own.text()).split("\r\n").filter(Boolean)).toHaveLength(5);
    const theirs = await history(new Request("http://localhost/"), { params: Promise.resolve({ id: balances.other }) });
    expect(theirs.status).toBe(404);
  });

  it("disabling a token stops its calls; another workspace cannot disable it", async () => {
    const { setPayerTokenDisabledAction } = await import("../../app/dashboard/payer-tokens/actions");
    const form = (id: string, disabled: boolean) => {
      const data = new FormData();
      data.set("id", id);
      data.set("disabled", String(disabled));
      return data;
    };
    signInAs(other.user.id, other.tenant.id, "test");
    expect((await setPayerTokenDisabledAction({ ok: false }, form(balances.owner, true))).ok).toBe(false);
    signInAs(owner.user.id, owner.tenant.id, "test");
    expect((await setPayerTokenDisabledAction({ ok: false }, form(balances.owner, true))).ok).toBe(true);
    const refused = await call(app, "POST", "/api/v1/l402/verify", {
      key: owner.key,
      body: { authorization: ownerAuthorization, method: "POST", path: "/llm" },
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("revoked");
    const audit = await t.db.auditEvent.findFirst({ where: { tenantId: owner.tenant.id, action: "payer_token.disabled" } });
    expect(audit?.target).toBe(balances.owner);
    expect((await setPayerTokenDisabledAction({ ok: false }, form(balances.owner, false))).ok).toBe(true);
    const served = await call(app, "POST", "/api/v1/l402/verify", {
      key: owner.key,
      body: { authorization: ownerAuthorization, method: "POST", path: "/llm" },
    });
    expect(served.status).toBe(200);
  });
});
