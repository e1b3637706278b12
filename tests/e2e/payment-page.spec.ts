import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";

// The demo key seeded by the launcher (lib/seed/demo.ts; printed by `npm run dev`).
import { DEMO_API_KEY } from "../../lib/seed/demo";
import { createApp } from "../../examples/express-api/app";

// The example Express API runs in this test process, on a port of its own (another origin
// than the service's), and asks the e2e server (the Playwright baseURL) for invoices with
// the demo tenant's key. The page polls the service across origins (CORS), as it would in
// front of a real API.
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

/** Opens the payment page for GET /premium and returns its invoice. */
async function openPaymentPage(page: Page) {
  const response = await page.goto(`${apiUrl}/premium`);
  expect(response!.status()).toBe(402);
  expect(response!.headers()["content-type"]).toMatch(/text\/html/);
  expect(response!.headers()["www-authenticate"]).toMatch(/^L402 macaroon="[^"]+", invoice="lntb[^"]+"$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(tenantName);
  const invoice = await page.locator("#inv").inputValue();
  expect(invoice).toMatch(/^lntb100n1/);
  expect(response!.headers()["www-authenticate"]).toContain(`invoice="${invoice}"`);
  return invoice;
}

/** The retries the page makes with a credential (each one spends a use of the token). */
function credentialRetries(page: Page) {
  const retries: string[] = [];
  page.on("request", (request) => {
    const authorization = request.headers().authorization;
    if (request.url() === `${apiUrl}/premium` && authorization) retries.push(authorization);
  });
  return retries;
}

test("paid from another device (the dev wallet here), the page sees it and loads the answer by itself", async ({ page, request }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const retries = credentialRetries(page);
  const invoice = await openPaymentPage(page);
  // No browser wallet here: no WebLN button (it used to show, and fail, on every page).
  await expect(page.getByRole("button", { name: "Pay with WebLN" })).toBeHidden();
  await expect(page.getByText("This call costs 10 sats")).toBeVisible();
  await expect(page.getByText("this page sees the payment and loads the answer")).toBeVisible();

  // The QR code is an image served by the Tollbooth service (another origin, allowed by the page's CSP).
  const qr = page.getByRole("img", { name: "QR code of the invoice" });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
  await expect(page.getByRole("link", { name: "Open in wallet" })).toHaveAttribute("href", `lightning:${invoice}`);

  await expect(page.getByRole("status")).toContainText("Waiting for the payment");

  // The payer's phone pays; nobody touches the page.
  const paid = await request.post("/api/dev/pay", { data: { invoice } });
  expect(paid.status()).toBe(200);
  const { preimage } = await paid.json();

  await expect(page.getByRole("status")).toHaveText("Paid. The answer:");
  await expect(page.locator("#out")).toContainText('"data": "premium"');
  await expect(page.locator("#out")).toContainText('"amountSats": 10');
  expect(retries).toEqual([`L402 ${await page.locator("body").getAttribute("data-macaroon")}:${preimage}`]);
  expect(errors).toEqual([]);
});

test("with a browser wallet (WebLN), one click pays and the answer loads once", async ({ page, request }) => {
  // A stand-in WebLN provider, installed before the page runs (as an extension does), that
  // pays through the dev wallet.
  await page.exposeFunction(
    "payWithDevWallet",
    async (invoice: string) => (await (await request.post("/api/dev/pay", { data: { invoice } })).json()).preimage,
  );
  await page.addInitScript(() => {
    const pay = (window as unknown as { payWithDevWallet(invoice: string): Promise<string> }).payWithDevWallet;
    (window as unknown as { webln: object }).webln = {
      enable: async () => {},
      sendPayment: async (invoice: string) => ({ preimage: await pay(invoice) }),
    };
  });
  const retries = credentialRetries(page);
  await openPaymentPage(page);
  await page.getByRole("button", { name: "Pay with WebLN" }).click();
  await expect(page.getByRole("status")).toHaveText("Paid. The answer:");
  await expect(page.locator("#out")).toContainText('"data": "premium"');
  // The poller sees the payment too; give it time to (not) retry a second time.
  await page.waitForTimeout(4_500);
  expect(retries).toHaveLength(1);
  await expect(page.getByRole("status")).toHaveText("Paid. The answer:");
});

test("when the service cannot be reached from the browser, a pasted preimage still unlocks", async ({ page, request, baseURL }) => {
  await page.route(`${baseURL}/api/public/**`, (route) => route.abort());
  const invoice = await openPaymentPage(page);
  const paid = await request.post("/api/dev/pay", { data: { invoice } });
  const { preimage } = await paid.json();
  const field = page.getByLabel("Paid, but no answer appears? Paste the preimage your wallet shows:");

  // A wrong preimage is caught on the page, before any request.
  await field.fill("not a preimage");
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("status")).toHaveText("The preimage is 64 hex characters.");

  await field.fill(preimage);
  await page.getByRole("button", { name: "Unlock" }).click();
  await expect(page.getByRole("status")).toHaveText("Paid. The answer:");
  await expect(page.locator("#out")).toContainText('"data": "premium"');
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
