import { expect, type Page, test } from "@playwright/test";
import { DEMO_API_KEY, DEMO_EMAIL, DEMO_PASSWORD } from "../../lib/seed/demo";
import { signIn } from "./helpers";

// The payouts page (issue 9): the owner turns automatic payouts off, earns a paid call
// (the demo key, the dev wallet, verify), presses "Pay out now", and the payout appears in
// the history as succeeded (paid by the simulated node to the simulated LNURL-pay server,
// through the worker the server runs in-process); at 1280 and 390 px.

async function paidCall(request: import("@playwright/test").APIRequestContext) {
  const headers = { authorization: `Bearer ${DEMO_API_KEY}` };
  const invoice = await (await request.post("/api/v1/invoices", { headers, data: { endpoint: "GET /premium" } })).json();
  const paid = await (await request.post("/api/dev/pay", { data: { invoice: invoice.invoice } })).json();
  const verified = await request.post("/api/v1/l402/verify", {
    headers,
    data: { authorization: `L402 ${invoice.macaroon}:${paid.preimage}`, method: "GET", path: "/premium" },
  });
  expect((await verified.json()).valid).toBe(true);
}

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

for (const width of [1280, 390]) {
  test(`${width} px: pay out now, and the payout is in the history as succeeded`, async ({ page, request }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/sign-in");
    await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/dashboard/payouts");
    await expect(page.getByRole("heading", { level: 1, name: "Payouts" })).toBeVisible();

    // Automatic payouts off, so the button is what pays.
    const auto = page.getByLabel("Pay out automatically");
    if (await auto.isChecked()) await auto.uncheck();
    await page.getByRole("button", { name: "Save payout settings" }).click();
    await expect(page.getByText("Payout settings saved.")).toBeVisible();

    await paidCall(request);
    await page.reload();
    const history = width >= 768 ? page.getByTestId("payouts-table") : page.getByTestId("payouts-cards");
    const before = await history
      .getByText("Succeeded")
      .count()
      .catch(() => 0);
    const button = page.getByRole("button", { name: /^Pay out \d[\d,.]* sats now$/ });
    await expect(button).toBeEnabled();
    await button.click();
    await expect(page.getByRole("status").filter({ hasText: /^Paying \d/ })).toBeVisible();
    // The worker pays it within seconds; the page looks again by itself.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId(width >= 768 ? "payouts-table" : "payouts-cards").getByText("Succeeded")).toHaveCount(before + 1);
    }).toPass({ timeout: 30_000 });
    await expect(page.getByText(/demo@localhost:\d+/).first()).toBeVisible();
    await expect(page.getByTestId("payouts-pending")).toContainText("0 sats");
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `test-results/payouts-${width}.png`, fullPage: true });
  });
}
