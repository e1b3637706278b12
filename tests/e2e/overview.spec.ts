// Issue 8, items 1 and 3 in a browser: a new owner signs up, sets a Lightning address (the
// simulated LNURL-pay server answers on the app's own host), makes a test call from the
// overview (402 → dev wallet → 200) and sees the numbers change, then a payment made
// elsewhere arrives on the open page without a reload. Another owner sees none of it.
//
// The endpoints and keys pages are built in another branch: the key is made with the
// operator CLI (against this run's database) and the endpoint with the REST API.
import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { PASSWORD, signUp, uniqueEmail } from "./helpers";

test.describe.configure({ mode: "serial" });

function createKey(tenant: string): string {
  const output = execFileSync("npx", ["tsx", "scripts/tollbooth.ts", "key:create", "--tenant", tenant, "--name", "e2e", "--json"], {
    encoding: "utf8",
    env: process.env,
  });
  return (JSON.parse(output.slice(output.indexOf("{"))) as { key: string }).key;
}

/** The tenant's slug, from the settings page's discovery-document path. */
async function tenantSlug(page: Page): Promise<string> {
  const text = await page.getByText("/api/public/tenants/").textContent();
  return /\/api\/public\/tenants\/([^/]+)\/l402\.json/.exec(text ?? "")![1];
}

/** The tenant id a token was minted for: its tenant= caveat. */
const tenantIdOf = (macaroon: string) => /tenant=([A-Za-z0-9_-]+)/.exec(Buffer.from(macaroon, "base64").toString("latin1"))![1];

const stepDone = (page: Page, id: string) => page.getByTestId(`step-${id}`);

test("sign up → Lightning address → test call → the overview numbers change, live", async ({ page, request, baseURL }, testInfo) => {
  const host = new URL(baseURL!).host;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("overview"), "Weather Co");
  await expect(page).toHaveURL(/\/dashboard$/);

  // A fresh tenant: nothing done, nothing paid, test mode marked.
  await expect(page.getByTestId("mode-badge")).toHaveText("Test data");
  await expect(page.getByTestId("onboarding-progress")).toHaveText("0 of 5 done");
  await expect(page.getByTestId("total-payments")).toContainText("0");
  await expect(page.getByText("Add an endpoint first")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("overview-empty-1280.png"), fullPage: true });

  // 1. The Lightning address: a typo is caught, the app's own host resolves.
  await stepDone(page, "lightning_address").getByRole("link").click();
  await expect(page).toHaveURL(/\/dashboard\/settings#lightning-address$/);
  const address = page.getByLabel("Lightning address");
  // Changing where payouts go asks for the password again (issue 9).
  const password = page.getByLabel("Your password");
  await address.fill("not-an-address");
  await password.fill(PASSWORD);
  await page.getByRole("button", { name: "Save Lightning address" }).click();
  await expect(page.getByText("Use the form name@domain.com")).toBeVisible();
  await address.fill(`Owner@${host}`);
  await password.fill(PASSWORD);
  await page.getByRole("button", { name: "Save Lightning address" }).click();
  await expect(page.getByRole("status")).toContainText(`Saved: owner@${host} resolved`);

  // 2 and 3. A key (operator CLI) and an endpoint (REST API, with that key).
  const key = createKey(await tenantSlug(page));
  const created = await request.post("/api/v1/endpoints", {
    headers: { authorization: `Bearer ${key}` },
    data: { method: "GET", path: "/weather", priceSats: 7 },
  });
  expect(created.status()).toBe(201);

  await page.goto("/dashboard");
  await expect(page.getByTestId("onboarding-progress")).toHaveText("3 of 5 done");
  await expect(stepDone(page, "lightning_address")).toHaveAttribute("data-done", "true");
  await expect(stepDone(page, "test_call")).toHaveAttribute("data-done", "false");

  // 4. The test call, step by step.
  await page.getByTestId("test-call-button").click();
  await expect(page.getByTestId("test-call-step-402")).toContainText("asked for 7 sats");
  await expect(page.getByTestId("test-call-step-402")).toContainText("invoice lntb70n1");
  await expect(page.getByTestId("test-call-step-paid")).toContainText(/preimage [0-9a-f]{18}…/);
  await expect(page.getByTestId("test-call-step-200")).toContainText("200 OK");
  await expect(page.getByTestId("test-call-step-200")).toContainText('"ok": true');

  // 5. The overview moved: one payment of 7 sats, fee 0.021, net 6.979; checklist done.
  await expect(page.getByTestId("total-payments")).toContainText("1");
  await expect(page.getByTestId("total-sats")).toContainText("7 sats");
  await expect(page.getByTestId("platform-fee")).toContainText("0.021 sats");
  await expect(page.getByTestId("net")).toContainText("6.979 sats");
  await expect(page.getByTestId("balance-available")).toContainText("6.979 sats");
  await expect(page.getByTestId("onboarding")).toHaveCount(0);
  await expect(page.getByTestId("recent-payments")).toContainText("GET /weather");
  await expect(page.getByTestId("funnel")).toContainText("GET /weather");

  // The unit toggle: msat and BTC, the same amount.
  const unit = (name: string) => page.getByTestId("amount-unit").getByText(name, { exact: true }).click();
  await unit("msat");
  await expect(page.getByTestId("total-sats")).toContainText("7,000 msat");
  await unit("BTC");
  await expect(page.getByTestId("total-sats")).toContainText("0.00000007 BTC");
  await unit("sats");

  // A payment made by someone else's client arrives without a reload.
  await page.evaluate(() => {
    (window as unknown as { marker: string }).marker = "same page";
  });
  const invoice = await (
    await request.post("/api/v1/invoices", { headers: { authorization: `Bearer ${key}` }, data: { endpoint: "GET /weather" } })
  ).json();
  const paid = await (await request.post("/api/dev/pay", { data: { invoice: invoice.invoice } })).json();
  const verified = await request.post("/api/v1/l402/verify", {
    headers: { authorization: `Bearer ${key}` },
    data: { authorization: `L402 ${invoice.macaroon}:${paid.preimage}`, method: "GET", path: "/weather" },
  });
  expect((await verified.json()).valid).toBe(true);
  const tenantId = tenantIdOf(invoice.macaroon);
  await expect(page.getByTestId("total-payments")).toContainText("2", { timeout: 20_000 });
  await expect(page.getByTestId("total-sats")).toContainText("14 sats");
  expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("same page");

  await page.screenshot({ path: testInfo.outputPath("overview-paid-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard");
  await expect(page.getByTestId("total-payments")).toContainText("2");
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath("overview-paid-390.png"), fullPage: true });

  // Tenant isolation: another owner, even with this tenant's id in their cookie, sees nothing.
  const other = await page.context().browser()!.newContext({ baseURL });
  const otherPage = await other.newPage();
  await otherPage.goto("/sign-up");
  await signUp(otherPage, uniqueEmail("other"), "Other Co");
  await expect(otherPage).toHaveURL(/\/dashboard$/);
  await other.addCookies([{ name: "tb_tenant", value: tenantId, url: baseURL! }]);
  const live = await otherPage.request.get("/dashboard/live");
  expect(live.status()).toBe(200);
  expect((await live.json()).recent).toEqual([]);
  await otherPage.goto("/dashboard");
  await expect(otherPage.getByRole("heading", { level: 1, name: "Other Co" })).toBeVisible();
  await expect(otherPage.getByTestId("total-payments")).toContainText("0");
  // And signed out, the live list answers 401.
  const anonymous = await request.get("/dashboard/live", { failOnStatusCode: false });
  expect(anonymous.status()).toBe(401);
  await other.close();
});
