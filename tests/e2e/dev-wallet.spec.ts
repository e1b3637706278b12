import { expect, test } from "@playwright/test";

// The demo key seeded by the launcher (lib/seed/demo.ts; printed by `npm run dev`).
import { DEMO_API_KEY } from "../../lib/seed/demo";

test("pay a test invoice in the dev wallet, then the credential verifies once", async ({ page, request }) => {
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
  expect(authorization).toBe(`L402 ${invoice.macaroon}:${await page.getByTestId("preimage").textContent()}`);

  const verify = (auth: string) =>
    request.post("/api/v1/l402/verify", {
      headers: { authorization: `Bearer ${DEMO_API_KEY}` },
      data: { authorization: auth, method: "GET", path: "/premium" },
      failOnStatusCode: false,
    });
  expect((await (await verify(authorization)).json()).valid).toBe(true);
  const again = await verify(authorization);
  expect(again.status()).toBe(402);

  // Garbage gets a clear message, not a crash.
  await page.getByLabel("Invoice or WWW-Authenticate challenge").fill("not an invoice");
  await page.getByRole("button", { name: "Pay with the simulated node" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toContainText("Not a valid BOLT11 invoice");
});
