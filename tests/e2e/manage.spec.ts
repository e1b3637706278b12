// Issue 8, items 4 and 9: the endpoints and keys pages in a browser. A new owner adds an
// endpoint, creates a key (copied from the page), rotates it with a short grace period, and
// sees the old key work through the API until the grace ends and then fail with a clear
// error; then revokes the new key and downloads the key table as CSV. Screenshots of the
// endpoints page, the keys page and a key's page at 1280 and 390 px are saved as artifacts.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const invoice = (request: APIRequestContext, key: string) =>
  request.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${key}` },
    data: { endpoint: "GET /weather" },
    failOnStatusCode: false,
  });

async function paidCall(request: APIRequestContext, key: string) {
  const issued = await (await invoice(request, key)).json();
  const paid = await (await request.post("/api/dev/pay", { data: { invoice: issued.invoice } })).json();
  const verified = await request.post("/api/v1/l402/verify", {
    headers: { authorization: `Bearer ${key}` },
    data: { authorization: `L402 ${issued.macaroon}:${paid.preimage}`, method: "GET", path: "/weather" },
  });
  expect((await verified.json()).valid).toBe(true);
}

/** Full-page screenshots at 1280 and 390 px, attached to the report; no sideways scroll at either. */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${width}`, { path, contentType: "image/png" });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const copied = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test("endpoints and keys: create, copy, rotate with a grace period, the old key expires clearly, revoke, export", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("manage"), "Manage Co");
  await expect(page).toHaveURL(/\/dashboard$/);

  // Endpoints: the empty state says what to do; add one, change its price.
  await page.getByRole("link", { name: "Endpoints" }).click();
  await expect(page.getByText("No endpoints yet")).toBeVisible();
  await expect(page.getByText("put the middleware in front of a route and it appears here on the first call")).toBeVisible();
  await page.getByRole("button", { name: "Add your first endpoint" }).click();
  const addDialog = page.getByRole("dialog", { name: "Add an endpoint" });
  await addDialog.getByLabel("Path").fill("/weather");
  await addDialog.getByLabel("Price (sats)").fill("4");
  await addDialog.getByRole("button", { name: "Add endpoint" }).click();
  await expect(addDialog).toBeHidden();
  const row = page.getByTestId("endpoint-row").filter({ hasText: "/weather" });
  await expect(row).toContainText("4 sats");

  await row.getByRole("button", { name: "Edit GET /weather" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit GET /weather" });
  await expect(editDialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(editDialog).toBeHidden();
  await row.getByRole("button", { name: "Edit GET /weather" }).click();
  await editDialog.getByLabel("Price (sats)").fill("5");
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(editDialog).toBeHidden();
  await expect(row).toContainText("5 sats");
  await screenshots(page, testInfo, "endpoints");

  // Keys: create one; it is shown once, copied from the page, with the snippet filled in.
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No test keys yet")).toBeVisible();
  await page.getByRole("button", { name: "Create your first test key" }).click();
  const createDialog = page.getByRole("dialog", { name: "Create an API key" });
  await createDialog.getByLabel("Name").fill("e2e server");
  await createDialog.getByRole("button", { name: "Create key" }).click();
  const shown = createDialog.getByTestId("new-key-value");
  await expect(shown).toHaveValue(/^tb_test_[A-Za-z0-9_-]{43}$/);
  const oldKey = await shown.inputValue();
  await createDialog.getByRole("button", { name: "Copy key" }).click();
  await expect(createDialog.getByRole("button", { name: "Copy key" })).toHaveText("Copied");
  expect(await copied(page)).toBe(oldKey);
  await expect(createDialog.getByText(`TOLLBOOTH_API_KEY=${oldKey}`)).toBeVisible();
  await createDialog.getByRole("button", { name: "I have stored it: close" }).click();
  await expect(createDialog).toBeHidden();
  // Never shown again: the table has it masked.
  await expect(page.getByTestId("keys-table")).toContainText(`${oldKey.slice(0, 12)}…${oldKey.slice(-4)}`);
  await expect(page.getByTestId("keys-table")).not.toContainText(oldKey);
  expect((await invoice(request, oldKey)).status()).toBe(201);

  // Rotate with a 1-minute grace period.
  await page.getByRole("button", { name: "Rotate e2e server" }).click();
  const rotateDialog = page.getByRole("dialog", { name: "Rotate “e2e server”" });
  await rotateDialog.getByLabel("Old key keeps working for").fill("1");
  await rotateDialog.getByLabel("Unit").selectOption("minutes");
  const rotatedAt = Date.now();
  await rotateDialog.getByRole("button", { name: "Rotate key" }).click();
  const newShown = rotateDialog.getByTestId("new-key-value");
  await expect(newShown).toHaveValue(/^tb_test_/);
  const newKey = await newShown.inputValue();
  expect(newKey).not.toBe(oldKey);
  await expect(rotateDialog.getByTestId("old-key-expiry")).toContainText("api_key_expired");
  await rotateDialog.getByRole("button", { name: "Copy key" }).click();
  expect(await copied(page)).toBe(newKey);
  await page.keyboard.press("Escape");
  await expect(rotateDialog).toBeHidden();
  const oldRow = page.getByTestId("key-row").filter({ hasText: oldKey.slice(-4) });
  await expect(oldRow).toContainText("rotating");

  // A paid call with the new key, so its page has usage to show.
  await paidCall(request, newKey);

  // The old key keeps working through the grace period...
  while (Date.now() < rotatedAt + 50_000) {
    expect((await invoice(request, oldKey)).status()).toBe(201);
    await page.waitForTimeout(10_000);
  }
  // ...and once it has ended, fails with a clear error; the new key works.
  await page.waitForTimeout(Math.max(0, rotatedAt + 62_000 - Date.now()));
  const refused = await invoice(request, oldKey);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toMatchObject({
    type: "authentication_error",
    code: "api_key_expired",
    message: expect.stringMatching(/^This API key expired at .+Z\. Use the key that replaced it\.$/),
  });
  expect((await invoice(request, newKey)).status()).toBe(201);
  await page.reload();
  await expect(oldRow).toContainText("expired");

  // The new key's page: its usage and recent calls.
  await page
    .getByTestId("key-row")
    .filter({ hasText: newKey.slice(-4) })
    .getByRole("link", { name: "e2e server" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "e2e server" })).toBeVisible();
  await expect(page.getByText("1 paid call, 5 sats")).toBeVisible();
  await expect(page.getByTestId("recent-calls")).toContainText("GET /weather");
  await screenshots(page, testInfo, "key-page");

  // Revoke it, after a confirmation.
  await page.getByRole("button", { name: "Revoke" }).click();
  const revokeDialog = page.getByRole("dialog", { name: "Revoke “e2e server”?" });
  await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(revokeDialog).toBeHidden();
  await expect(page.getByText("revoked", { exact: true }).first()).toBeVisible();
  await expect
    .poll(async () => (await (await invoice(request, newKey)).json()).error?.code, { timeout: 15_000, intervals: [1000] })
    .toBe("api_key_revoked");

  // The key table: filter, CSV download with its rows, and the screenshots.
  await page.getByRole("link", { name: "← API keys" }).click();
  await page.getByLabel("Status").selectOption("revoked");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/status=revoked/);
  await expect(page.getByTestId("key-row")).toHaveCount(1);
  await page.goto("/dashboard/keys");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const csv = readFileSync((await (await download).path())!, "utf8")
    .trimEnd()
    .split("\r\n");
  expect(csv[0]).toBe(
    "name,key,mode,status,scopes,allowed_ips,created_at,last_used_at,expires_at,revoked_at,calls_this_month,sats_this_month",
  );
  expect(csv).toHaveLength(3);
  const byKey = (key: string) => csv.find((line) => line.includes(`…${key.slice(-4)}`))!.split(",");
  expect(byKey(newKey).slice(2, 4)).toEqual(["test", "revoked"]);
  expect(byKey(newKey).slice(-2)).toEqual(["1", "5"]);
  expect(byKey(oldKey).slice(2, 4)).toEqual(["test", "expired"]);
  expect(csv.join("\n")).not.toContain(newKey);
  await screenshots(page, testInfo, "keys");
});
