import { expect, test } from "@playwright/test";
import { expectDashboard, PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";

test("sign up, land on the dashboard, sign out, sign in again", async ({ page }) => {
  const email = uniqueEmail("owner");
  await page.goto("/sign-up");
  await signUp(page, email, "Weather API");
  await expectDashboard(page, "Weather API");
  await expect(page.getByTestId("role")).toHaveText("owner");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);

  await signIn(page, email.toUpperCase());
  await expectDashboard(page, "Weather API");
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  const email = uniqueEmail("wrongpw");
  await page.goto("/sign-up");
  await signUp(page, email, "Wrong Password Co");
  await expectDashboard(page, "Wrong Password Co");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("bad sign-up input gets clear messages and creates nothing", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();

  const email = uniqueEmail("dupe");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Workspace name").fill("Dupe Co");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters for your password.")).toBeVisible();
  // What was typed (but the password) is still there.
  await expect(page.getByLabel("Work email")).toHaveValue(email);
  await expect(page.getByLabel("Workspace name")).toHaveValue("Dupe Co");

  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expectDashboard(page, "Dupe Co");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto("/sign-up");
  await signUp(page, email, "Dupe Again");
  await expect(page.getByText("An account with this email already exists. Sign in instead.")).toBeVisible();
});

test("an invitation link is accepted by a second user who signs up from it", async ({ page, browser }) => {
  const owner = uniqueEmail("inviter");
  await page.goto("/sign-up");
  await signUp(page, owner, "Team Tenant");
  await expectDashboard(page, "Team Tenant");
  await page.getByRole("link", { name: "Team" }).click();
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByRole("button", { name: "Create invitation" }).click();
  const inviteUrl = await page.getByTestId("invite-url").inputValue();
  expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);

  const second = await browser.newContext();
  const invitee = await second.newPage();
  const inviteeEmail = uniqueEmail("invitee");
  await invitee.goto(inviteUrl);
  await expect(invitee.getByRole("heading", { name: "Join Team Tenant" })).toBeVisible();
  await invitee.getByRole("link", { name: "Create an account to join" }).click();
  await signUp(invitee, inviteeEmail, "Invitee Own Tenant");
  await expect(invitee).toHaveURL(/\/invite\//);
  await invitee.getByRole("button", { name: "Accept invitation" }).click();
  await expectDashboard(invitee, "Team Tenant");
  await expect(invitee.getByTestId("role")).toHaveText("admin");

  // The invitee now belongs to two tenants and can switch between them.
  await invitee.getByLabel("Workspace").selectOption({ label: "Invitee Own Tenant" });
  await invitee.getByRole("button", { name: "Switch" }).click();
  await expectDashboard(invitee, "Invitee Own Tenant");

  // The owner sees the new member, and the audit log recorded the acceptance.
  await page.reload();
  await expect(page.getByTestId("members")).toContainText(inviteeEmail);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-table")).toContainText("Invitation accepted"); // the action's label (lib/audit/labels.ts)

  // The link is spent.
  await invitee.goto(inviteUrl);
  await expect(invitee.getByRole("alert").filter({ hasText: /./ })).toHaveText("This invitation has already been used.");
  await second.close();
});

test("the landing page explains the product and fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText('import { l402 } from "@tollbooth/l402";')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole("link", { name: "Start free" }).first().click();
  await expect(page).toHaveURL(/\/sign-up/);
});

test("the dashboard works at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("phone"), "Phone Co");
  await expectDashboard(page, "Phone Co");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
