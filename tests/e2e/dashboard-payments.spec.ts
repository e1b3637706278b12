import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { DEMO_API_KEY, DEMO_EMAIL, DEMO_PASSWORD } from "../../lib/seed/demo";
import { PAYMENT_CSV_HEADER } from "../../lib/stats/export";
import { signIn, signUp, uniqueEmail } from "./helpers";

// A paid call made as a payer makes it (the demo key asks for an invoice, the dev wallet
// pays it, verify redeems it), then found by its owner on the payments page, opened,
// downloaded as CSV and found again with Ctrl+K; at 1280 and 390 px, with screenshots.

/** The page must not scroll sideways (at 390 px, tables become cards). */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function makePaidCall(page: Page, request: import("@playwright/test").APIRequestContext) {
  const created = await request.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    data: { endpoint: "GET /premium" },
  });
  expect(created.status()).toBe(201);
  const invoice = await created.json();
  await page.goto("/dev/wallet");
  await page.getByLabel("Invoice or WWW-Authenticate challenge").fill(invoice.challenge);
  await page.getByRole("button", { name: "Pay with the simulated node" }).click();
  await expect(page.getByRole("status")).toContainText("Paid 10 sats");
  const authorization = (await page.getByTestId("authorization").textContent())!.replace(/^Authorization: /, "");
  const verified = await request.post("/api/v1/l402/verify", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    data: { authorization, method: "GET", path: "/premium" },
  });
  expect((await verified.json()).valid).toBe(true);
  return invoice.paymentHash as string;
}

for (const width of [1280, 390]) {
  test(`${width} px: a paid call is on the payments page, its own page, the CSV, the balance history and Ctrl+K`, async ({
    page,
    request,
  }, testInfo) => {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    const paymentHash = await makePaidCall(page, request);
    const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });

    await page.goto("/sign-in?callbackUrl=/dashboard/payments");
    await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/dashboard\/payments$/);
    await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot("payments");

    // Search by the first characters of the hash: one payment, this one.
    await page.getByLabel("Payment hash").fill(paymentHash.slice(0, 10));
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`paymentHash=${paymentHash.slice(0, 10)}`));
    const list = page.getByTestId(width > 500 ? "payments-table" : "payments-cards");
    await expect(list.getByRole("link")).toHaveCount(1);
    await expect(list).toContainText("GET /premium");
    await expect(list).toContainText("10 sats");
    // msat on hover; the toggle switches every amount.
    await expect(list.locator(`[data-msat="10000"]`).first()).toHaveAttribute("title", "10,000 msat");
    await page.getByTestId("amount-unit").getByText("msat", { exact: true }).click();
    await expect(list).toContainText("10,000 msat");
    await page.getByTestId("amount-unit").getByText("sats", { exact: true }).click();

    // The CSV holds exactly what the page shows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tollbooth-payments-.+-test-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await readFile(await download.path(), "utf8")).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(PAYMENT_CSV_HEADER.join(","));
    expect(lines).toHaveLength(2);
    const row = Object.fromEntries(lines[1].split(",").map((cell, i) => [PAYMENT_CSV_HEADER[i], cell]));
    expect(row).toMatchObject({
      payment_hash: paymentHash,
      endpoint: "GET /premium",
      mode: "test",
      amount_sats: "10",
      amount_msat: "10000",
      fee_sats: "0.03",
      fee_msat: "30",
      net_sats: "9.97",
      net_msat: "9970",
      redeemed: "true",
      failed_calls: "0",
    });
    expect(row.settled_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    // Its own page: invoice, token, ledger entry.
    await list.getByRole("link").click();
    await expect(page).toHaveURL(`/dashboard/payments/${paymentHash}`);
    await expect(page.getByTestId("payment-hash")).toHaveText(paymentHash);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("10 sats for GET /premium");
    await expect(page.getByTestId("bolt11")).toHaveText(/^lntb100n1/);
    await expect(page.getByText("1 of 1")).toBeVisible();
    const postings = page.getByTestId("posting");
    await expect(postings).toHaveCount(3);
    await expect(postings.filter({ hasText: "Lightning holdings" })).toContainText("10 sats");
    await expect(postings.filter({ hasText: "Platform fee" })).toContainText("0.03 sats");
    await expect(postings.filter({ hasText: "Your share" })).toContainText("9.97 sats");
    await expectNoSidewaysScroll(page);
    await shot("payment");

    // The balance history lists the payment's net with a running balance.
    await page.goto("/dashboard/balance");
    const movements = page.getByTestId(width > 500 ? "balance-table" : "balance-cards");
    await expect(movements.locator(`a[href="/dashboard/payments/${paymentHash}"]`)).toBeVisible();
    await expect(page.getByTestId("available-balance")).toContainText("sats");
    await expectNoSidewaysScroll(page);
    await shot("balance");

    // Ctrl+K finds it by its first characters; Enter opens it; Esc closes.
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Search payments, endpoints and keys" });
    await expect(palette).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Search" })).toBeFocused();
    await page.keyboard.type(paymentHash.slice(0, 8));
    await expect(palette.getByRole("option").first()).toContainText(paymentHash.slice(0, 16));
    await expect(palette.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
    await shot("palette");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/dashboard/payments/${paymentHash}`);
    await expect(palette).toBeHidden();
    await page.keyboard.press("Control+k");
    await page.keyboard.type("premium");
    await expect(palette.getByRole("option", { name: /GET \/premium/ })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(palette).toBeHidden();
  });
}

test("another workspace's member cannot open the payment or download it", async ({ page, request }, testInfo) => {
  const paymentHash = await makePaidCall(page, request);
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("stranger"), "Stranger API");
  await expect(page).toHaveURL(/\/dashboard$/);

  const response = await page.goto(`/dashboard/payments/${paymentHash}`);
  expect(response!.status()).toBe(404);
  await expect(page.getByText("No such payment here")).toBeVisible();

  await page.goto(`/dashboard/payments?paymentHash=${paymentHash}`);
  await expect(page.getByText("No payments match these filters")).toBeVisible();

  const csv = await page.request.get(`/dashboard/payments/export?paymentHash=${paymentHash}`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\r\n").filter(Boolean)).toEqual([PAYMENT_CSV_HEADER.join(",")]);
  const search = await page.request.get(`/dashboard/search?q=${paymentHash.slice(0, 10)}`);
  expect((await search.json()).payments).toEqual([]);

  // A new workspace's empty states say what to do.
  await page.goto("/dashboard/payments");
  await expect(page.getByText("No test-mode payments yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "dev wallet" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("payments-empty-1280.png"), fullPage: true });
  await page.goto("/dashboard/balance");
  await expect(page.getByText("No test-mode movements yet")).toBeVisible();
  await page.keyboard.press("Control+k");
  await expect(page.getByRole("dialog")).toContainText("Searches this workspace's test-mode payments");
  await page.screenshot({ path: testInfo.outputPath("balance-empty-palette-1280.png"), fullPage: true });
});
