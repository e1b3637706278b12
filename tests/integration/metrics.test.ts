// /metrics: Prometheus text behind the operator token, with the numbers an operator
// watches: invoices created, verifications by result, settlements, queue depth and ledger
// totals per mode, HTTP requests by route pattern.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetOperatorToken } from "../../lib/admin/token";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { paidCall } from "../helpers/payments";

const TOKEN = "tbop_metrics-test-token-0123456789abcdef";
let t: TestDatabase;
let app: Api;
let key: string;

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.ADMIN_API_TOKEN = TOKEN;
  resetOperatorToken();
  app = createApiApp();
  const owner = await tenantWithKey(t.db);
  key = owner.key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterAll(async () => {
  resetOperatorToken();
  await t?.drop();
});

async function scrape(token?: string) {
  const response = await app.request("/metrics", { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The value of one series, e.g. value(text, 'tollbooth_verifications_total{mode="test",result="valid"}'). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics", () => {
  it("needs the operator token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("tbop_wrong-token-0123456789abcdefghijkl")).status).toBe(401);
    expect((await scrape(key)).status).toBe(401); // a tenant's API key is not an operator token
  });

  it("counts what happened: invoices, verifications by result, settlements, ledger totals", async () => {
    const before = (await scrape(TOKEN)).text;
    await paidCall(app, key, "GET /premium");
    await paidCall(app, key, "GET /premium");
    const refused = await call(app, "POST", "/api/v1/l402/verify", {
      key,
      body: { authorization: `L402 ${"A".repeat(80)}:${"0".repeat(64)}`, method: "GET", path: "/premium" },
    });
    expect(refused.status).toBe(402);

    const after = await scrape(TOKEN);
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain/);
    const delta = (series: string) => value(after.text, series) - value(before, series);
    expect(delta('tollbooth_invoices_created_total{mode="test"}')).toBe(3); // 2 paid + 1 fresh challenge
    expect(delta('tollbooth_verifications_total{mode="test",result="valid"}')).toBe(2);
    expect(value(after.text, 'tollbooth_settlements_total{mode="test"}')).toBe(2);
    // 2 × 10 sats: the platform holds 20,000 msat; fees 2 × 30 msat; owners are owed the rest.
    expect(value(after.text, 'tollbooth_ledger_balance_msat{mode="test",type="asset"}')).toBe(20_000);
    expect(value(after.text, 'tollbooth_ledger_balance_msat{mode="test",type="revenue"}')).toBe(60);
    expect(value(after.text, 'tollbooth_ledger_balance_msat{mode="test",type="liability"}')).toBe(19_940);
    expect(after.text).toMatch(/^tollbooth_queue_jobs\{queue="[^"]+",state="[a-z]+"\} \d+$/m);
    expect(after.text).toContain("tollbooth_db_pool_connections");
    expect(after.text).toContain("# TYPE tollbooth_payouts gauge");
    expect(after.text).toContain("# TYPE tollbooth_webhook_attempts_total gauge");
    expect(after.text).toContain("tollbooth_process_resident_memory_bytes");
    expect(after.text).toMatch(/^tollbooth_queue_jobs\{queue="webhook-event",state="failed"\} 0$/m);
  });
});
