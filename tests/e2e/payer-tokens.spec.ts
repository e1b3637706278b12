import { expect, type APIRequestContext, type Page, test } from "@playwright/test";
import { DEMO_API_KEY, DEMO_EMAIL, DEMO_PASSWORD } from "../../lib/seed/demo";
import { signIn } from "./helpers";

// A payer deposits on a metered endpoint and makes calls of different costs (as the
// middleware does: verify reserves, charge settles); its owner finds the token on the payer
// tokens page and opens its history with the running balance. At 1280 and 390 px.

const auth = { authorization: `Bearer ${DEMO_API_KEY}` };

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** A 100-sat deposit on POST /e2e-llm and three charged calls; returns the balance id. */
async function meteredCalls(request: APIRequestContext, costs: number[]): Promise<string> {
  const endpoint = await request.post("/api/v1/endpoints", {
    headers: auth,
    data: { method: "POST", path: "/e2e-llm", priceSats: 100, pricingMode: "metered", maxCostPerCallSats: 30 },
  });
  expect([201, 409]).toContain(endpoint.status());
  const invoice = await (await request.post("/api/v1/invoices", { headers: auth, data: { endpoint: "POST /e2e-llm" } })).json();
  const { preimage } = await (await request.post("/api/dev/pay", { data: { invoice: invoice.invoice } })).json();
  const authorization = `L402 ${invoice.macaroon}:${preimage}`;
  for (const [i, cost] of costs.entries()) {
    const verified = await (
      await request.post("/api/v1/l402/verify", { headers: auth, data: { authorization, method: "POST", path: "/e2e-llm" } })
    ).json();
    expect(verified.valid).toBe(true);
    const charged = await request.post("/api/v1/l402/charge", {
      headers: auth,
      data: {
        paymentHash: invoice.paymentHash,
        redemption: verified.redemption,
        amountMsat: String(cost),
        description: `completion ${i + 1}: ${cost / 40} tokens`,
      },
    });
    expect((await charged.json()).applied).toBe(true);
  }
  const list = await (await request.get("/api/v1/prepaid-balances?limit=1", { headers: auth })).json();
  return list.data[0].id as string;
}

for (const width of [1280, 390]) {
  test(`${width} px: the payer tokens table and a token's history with its running balance`, async ({ page, request }, testInfo) => {
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    const id = await meteredCalls(request, [6000, 12_040, 2520]);
    const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });

    await page.goto("/sign-in?callbackUrl=/dashboard/payer-tokens");
    await signIn(page, DEMO_EMAIL, DEMO_PASSWORD);
    await expect(page.getByRole("heading", { level: 1, name: "Payer tokens" })).toBeVisible();
    await page.getByLabel("Token id or payment hash").fill(id);
    await page.getByRole("button", { name: "Apply" }).click();
    const list = page.getByTestId(width > 500 ? "payer-tokens-table" : "payer-tokens-cards");
    await expect(list.getByRole("link")).toHaveCount(1);
    await expect(list).toContainText("POST /e2e-llm");
    await expect(list).toContainText("79.44 sats"); // 100,000 − 20,560 msat
    await expect(list).toContainText("Active");
    await expectNoSidewaysScroll(page);
    await shot("payer-tokens");

    await list.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/dashboard/payer-tokens/${id}$`));
    await expect(page.getByTestId("payer-token-balance")).toContainText("79.44 sats");
    const history = page.getByTestId("payer-token-movement");
    await expect(history).toHaveCount(4);
    await expect(history.nth(0)).toContainText("completion 3: 63 tokens");
    await expect(history.nth(0)).toContainText("−2.52 sats");
    await expect(history.nth(0)).toContainText("balance 79.44 sats");
    await expect(history.nth(3)).toContainText("Deposit");
    await expect(history.nth(3)).toContainText("balance 100 sats");
    await expect(page.getByRole("img", { name: "Sats spent and calls per day on this token" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shot("payer-token");

    // msat, exactly, with the unit toggle.
    await page.getByTestId("amount-unit").getByText("msat").click();
    await expect(history.nth(0)).toContainText("balance 79,440 msat");
  });
}
