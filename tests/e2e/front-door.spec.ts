// The web app's front door in a real browser: after sign-in (or sign-up) a callbackUrl
// never leads off our origin, however it is disguised, and every page and API answer
// carries the security headers (no framing, nosniff, referrer policy, HSTS in production).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";

// As they appear in the address bar. The page decodes them once: "/%09/evil.example"
// becomes "/<tab>/evil.example", which a browser reads as "//evil.example".
const HOSTILE = [
  "/%09/evil.example",
  "/%0D/evil.example",
  "/%0A/evil.example",
  "/%09%09/evil.example",
  "/%5Cevil.example",
  "/%5C/evil.example",
  "/%09%5Cevil.example",
  "%2F%2Fevil.example",
  "//evil.example",
  "/.//evil.example",
  "/%2e//evil.example",
  "https://evil.example/",
];

let email: string;

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  email = uniqueEmail("frontdoor");
  await page.goto("/sign-up");
  await signUp(page, email, "Front Door Co");
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.close();
});

/** A fresh browser in which any visit to evil.example is answered locally (and noticed). */
async function freshPage(browser: Browser): Promise<{ page: Page; evilVisits: string[] }> {
  const context = await browser.newContext();
  const evilVisits: string[] = [];
  await context.route(
    (url) => url.hostname === "evil.example",
    (route) => {
      evilVisits.push(route.request().url());
      return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
    },
  );
  return { page: await context.newPage(), evilVisits };
}

for (const callback of HOSTILE) {
  test(`sign-in with callbackUrl=${callback} stays on our origin`, async ({ browser, baseURL }) => {
    const { page, evilVisits } = await freshPage(browser);
    await page.goto(`/sign-in?callbackUrl=${callback}`);
    await signIn(page, email);
    await expect(page).toHaveURL(`${baseURL}/dashboard`);
    await expect(page.getByRole("heading", { level: 1, name: "Front Door Co" })).toBeVisible();
    expect(evilVisits).toEqual([]);
    await page.context().close();
  });
}

test("sign-up with callbackUrl=/%09/evil.example stays on our origin", async ({ browser, baseURL }) => {
  const { page, evilVisits } = await freshPage(browser);
  await page.goto("/sign-up?callbackUrl=/%09/evil.example");
  await signUp(page, uniqueEmail("frontdoor-new"), "Front Door Two");
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
  expect(evilVisits).toEqual([]);
  await page.context().close();
});

test("a same-origin callbackUrl is honoured", async ({ browser, baseURL }) => {
  const { page } = await freshPage(browser);
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/dashboard/team")}`);
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(`${baseURL}/dashboard/team`);
  await page.context().close();
});

const expectSecurityHeaders = (headers: Record<string, string>, what: string) => {
  expect(headers["content-security-policy"], what).toMatch(/frame-ancestors 'none'/);
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  // The e2e server runs the production build (NODE_ENV=production).
  expect(headers["strict-transport-security"], what).toMatch(/^max-age=\d+/);
};

test("every page, asset and API answer carries the security headers", async ({ page, request }) => {
  const signInPage = await page.goto("/sign-in");
  expectSecurityHeaders(signInPage!.headers(), "/sign-in");
  const asset = await page.locator("script[src^='/_next/']").first().getAttribute("src");
  for (const path of [
    "/",
    "/no-such-page",
    asset!,
    "/api/auth/session",
    "/api/health",
    "/api/v1/openapi.json",
    "/api/v1/no-such-route",
    "/llms.txt",
  ]) {
    const response = await request.get(path);
    expectSecurityHeaders(response.headers(), path);
  }
  const unauthorised = await request.post("/api/v1/invoices", { data: {} });
  expect(unauthorised.status()).toBe(401);
  expectSecurityHeaders(unauthorised.headers(), "POST /api/v1/invoices (401)");
});

async function framedHeadings(page: Page, url: string) {
  await page.setContent(`<iframe src="${url}" onload="window.framed = true"></iframe>`);
  await page.waitForFunction(() => (window as unknown as { framed?: boolean }).framed === true);
  const frame = page.frames().find((f) => f !== page.mainFrame())!;
  return frame.getByRole("heading", { name: "Sign in" }).count();
}

test("another site cannot frame our pages", async ({ page, baseURL }) => {
  expect(await framedHeadings(page, `${baseURL}/sign-in`)).toBe(0);
  // The control: the same page with the two framing headers stripped does render framed.
  await page.route(`${baseURL}/sign-in?control`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers["content-security-policy"];
    delete headers["x-frame-options"];
    await route.fulfill({ response, headers });
  });
  expect(await framedHeadings(page, `${baseURL}/sign-in?control`)).toBe(1);
});
