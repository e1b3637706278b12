// Pages run only the scripts their own response allowed: each page's
// Content-Security-Policy carries a fresh nonce, Next's scripts carry it, the dashboard
// works under it (no violation reported), and script injected into the page does not run.
import { expect, test } from "@playwright/test";

const NONCE = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/;

test("every page has a nonce policy of its own, and the product runs under it", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(message.text())) violations.push(message.text());
  });
  const nonces = new Set<string>();
  for (const path of ["/", "/sign-in"]) {
    const response = await page.goto(path);
    const policy = response!.headers()["content-security-policy"] ?? "";
    expect(policy, path).toMatch(NONCE);
    expect(policy).toMatch(/object-src 'none'/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    nonces.add(NONCE.exec(policy)![1]!);
    // Next's own scripts carry that nonce (else the page would not hydrate at all).
    expect(await page.locator("script[nonce]").count()).toBeGreaterThan(0);
  }
  expect(nonces.size).toBe(2); // fresh per response

  // Sign in and use the dashboard: hydration, client navigation and charts all under the policy.
  await page.getByLabel("Email").fill("demo@tollbooth.dev");
  await page.getByLabel("Password").fill("demo-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await page.getByRole("link", { name: "Payments" }).first().click();
  await expect(page).toHaveURL(/\/dashboard\/payments/);
  expect(violations).toEqual([]);

  // Markup injected the way an XSS would be (an inline event handler): it does not run.
  // (Scripts a trusted script creates are allowed by 'strict-dynamic' by design.)
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { injected?: string };
    const holder = document.createElement("div");
    holder.innerHTML = `<img src="data:," onerror="window.injected = 'handler'"><svg onload="window.injected = 'svg'"></svg>`;
    document.body.appendChild(holder);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return w.injected ?? null;
  });
  expect(ran).toBeNull();
  const policy = (await page.request.get("/sign-in")).headers()["content-security-policy"] ?? "";
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-eval'/); // production build
});
