import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";

// The demo key seeded by the launcher (lib/seed/demo.ts; printed by `npm run dev`).
import { DEMO_API_KEY } from "../../lib/seed/demo";
import { createApp } from "../../examples/express-api/app";

// The example Express API runs in this test process, on a port of its own, and asks the
// e2e server (the Playwright baseURL) for invoices with the demo tenant's key.
let api: Server;
let apiUrl: string;
let tenantName: string;

test.beforeAll(async ({ request, baseURL }) => {
  const discovery = await request.get("/api/v1/discovery", { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
  expect(discovery.status()).toBe(200);
  tenantName = (await discovery.json()).tenant.name;

  api = createApp({ apiKey: DEMO_API_KEY, baseUrl: baseURL! }).listen(0, "127.0.0.1");
  await once(api, "listening");
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  if (!api) return;
  api.closeAllConnections();
  await new Promise((resolve) => api.close(resolve));
});

test("a browser gets the payment page, pays the invoice and sees the paid resource", async ({ page, request }) => {
  const response = await page.goto(`${apiUrl}/premium`);
  expect(response!.status()).toBe(402);
  expect(response!.headers()["content-type"]).toMatch(/text\/html/);
  expect(response!.headers()["www-authenticate"]).toMatch(/^L402 macaroon="[^"]+", invoice="lntb[^"]+"$/);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tenantName);
  await expect(page.getByText("This call costs 10 sats")).toBeVisible();

  // The QR code is an image served by the Tollbooth service (another origin, allowed by the page's CSP).
  const qr = page.getByRole("img", { name: "QR code of the invoice" });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);

  const invoice = await page.locator("#inv").inputValue();
  expect(invoice).toMatch(/^lntb100n1/);
  expect(response!.headers()["www-authenticate"]).toContain(`invoice="${invoice}"`);

  const paid = await request.post("/api/dev/pay", { data: { invoice } });
  expect(paid.status()).toBe(200);
  const { preimage, amountSats } = await paid.json();
  expect(amountSats).toBe(10);
  expect(preimage).toMatch(/^[0-9a-f]{64}$/);

  // A wrong preimage is caught on the page, before any request.
  await page.getByLabel("Paid with another wallet? Paste the preimage:").fill("not a preimage");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("status")).toHaveText("The preimage is 64 hex characters.");

  await page.getByLabel("Paid with another wallet? Paste the preimage:").fill(preimage);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("status")).toHaveText("Paid. The answer:");
  await expect(page.locator("#out")).toBeVisible();
  await expect(page.locator("#out")).toContainText('"data": "premium"');
  await expect(page.locator("#out")).toContainText('"amountSats": 10');
});

test("the payment page fits a 375px wide phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  const response = await page.goto(`${apiUrl}/premium`);
  expect(response!.status()).toBe(402);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tenantName);
  const qr = page.getByRole("img", { name: "QR code of the invoice" });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);

  const overflow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    widest: Math.max(...[...document.body.querySelectorAll("*")].map((element) => element.getBoundingClientRect().right)),
  }));
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
  expect(overflow.widest).toBeLessThanOrEqual(375);
  const qrBox = (await qr.boundingBox())!;
  expect(qrBox.x).toBeGreaterThanOrEqual(0);
  expect(qrBox.x + qrBox.width).toBeLessThanOrEqual(375);
});
