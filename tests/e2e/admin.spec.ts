// The operator console end to end: a non-operator gets a 404 at /admin; the operator (the
// demo user, whom `npm run dev` makes one) signs in, opens /admin, searches a tenant,
// suspends it, and finds that in the security log; the tenant's owner sees the banner.
import { expect, test } from "@playwright/test";
import { expectDashboard, signIn, signUp, uniqueEmail } from "./helpers";

test("operator: search a tenant, suspend it, see it in the security log", async ({ browser }) => {
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  const email = uniqueEmail("suspend-me");
  const tenantName = `Shady API ${email.slice(11, 19)}`;
  await ownerPage.goto("/sign-up");
  await signUp(ownerPage, email, tenantName);
  await expectDashboard(ownerPage, tenantName);
  // Not an operator: the console does not exist for them.
  const hidden = await ownerPage.goto("/admin");
  expect(hidden?.status()).toBe(404);

  const operator = await browser.newContext();
  const page = await operator.newPage();
  await page.goto("/sign-in?callbackUrl=/admin");
  await signIn(page, "demo@tollbooth.dev", "demo-password-123");
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("platform-info")).toContainText("Version");
  await expect(page.getByRole("heading", { name: "Job queues" })).toBeVisible();

  await page.getByRole("link", { name: "Tenants" }).first().click();
  await page.getByRole("searchbox", { name: "Search" }).fill(email.toUpperCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("tenant-row")).toHaveCount(1);
  await page.getByTestId("tenant-row").getByText(tenantName).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(tenantName);

  await page.getByLabel(/Reason/).fill("Selling stolen data");
  await page.getByRole("button", { name: "Suspend tenant" }).click();
  await expect(page.getByRole("heading", { level: 1 }).getByText("suspended")).toBeVisible();
  await expect(page.getByRole("button", { name: "Unsuspend tenant" })).toBeVisible();

  await page.getByRole("link", { name: "Security log" }).click();
  const row = page.getByTestId("audit-row").filter({ hasText: "Workspace suspended by the operator" }).first();
  await expect(row).toContainText(tenantName);
  await expect(row).toContainText("operator: Demo Owner");

  await ownerPage.goto("/dashboard");
  await expect(ownerPage.getByTestId("suspended-banner")).toContainText("Selling stolen data");

  await owner.close();
  await operator.close();
});
