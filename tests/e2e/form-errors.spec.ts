// Server actions never answer 500 (issue #7, item 9): a permission refused after the page
// was loaded is shown in the form; a cross-site submission, an undecodable body and
// arguments that are not a form get a 4xx (or a form message), not Next's error page.
import { expect, test, type Page } from "@playwright/test";
import { expectDashboard, signUp, uniqueEmail } from "./helpers";

async function inviteAdmin(owner: Page) {
  await owner.getByRole("link", { name: "Team" }).click();
  await owner.getByLabel("Role", { exact: true }).selectOption("admin");
  await owner.getByRole("button", { name: "Create invitation" }).click();
  return owner.getByTestId("invite-url").inputValue();
}

test("a permission refused after the page loaded is shown in the form", async ({ page, browser }) => {
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("owner"), "Refusals Co");
  await expectDashboard(page, "Refusals Co");
  const inviteUrl = await inviteAdmin(page);

  const second = await browser.newContext();
  const admin = await second.newPage();
  const adminEmail = uniqueEmail("admin");
  await admin.goto(inviteUrl);
  await admin.getByRole("link", { name: "Create an account to join" }).click();
  await signUp(admin, adminEmail, "Admin Own Co");
  await admin.getByRole("button", { name: "Accept invitation" }).click();
  await expectDashboard(admin, "Refusals Co");
  await admin.getByRole("link", { name: "Settings" }).click();
  await expect(admin.getByRole("button", { name: "Save settings" })).toBeEnabled();

  // Meanwhile the owner makes the admin a viewer.
  await page.reload();
  await page.getByLabel(`Role for ${adminEmail}`).selectOption("viewer");
  await page.getByRole("button", { name: "Save" }).last().click();
  await expect(page.getByText("Role updated.")).toBeVisible();

  // The admin's page still offers the form; submitting it says why it was refused.
  const answers: number[] = [];
  admin.on("response", (response) => {
    if (response.request().method() === "POST") answers.push(response.status());
  });
  await admin.getByLabel("Workspace name").fill("Hijacked");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.locator("form").getByRole("alert")).toHaveText("Your role (viewer) cannot do this.");
  expect(answers).not.toContain(500);
  await second.close();
});

test("cross-site, undecodable and non-form action requests get a 4xx, not a 500", async ({ page }) => {
  await page.goto("/sign-up");
  await signUp(page, uniqueEmail("owner"), "Forgery Co");
  await expectDashboard(page, "Forgery Co");
  await page.getByRole("link", { name: "Settings" }).click();

  // A genuine submission tells us the action id and what a real request looks like.
  const genuine = page.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  const real = await genuine;
  const origin = new URL(page.url()).origin;
  const headers = { "next-action": real.headers()["next-action"], origin, "content-type": real.headers()["content-type"] };
  const replay = (extra: Record<string, string>, data: string | Buffer) =>
    page.request.post("/dashboard/settings", { headers: { ...headers, ...extra }, data, maxRedirects: 0 });

  const sameSite = await replay({}, real.postDataBuffer()!);
  expect(sameSite.status()).toBe(200);

  const crossSite = await replay({ origin: "http://evil.example" }, real.postDataBuffer()!);
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("forms are only accepted from the site's own pages");

  const garbage = await replay({ "content-type": "text/plain;charset=UTF-8" }, "{garbage");
  expect(garbage.status()).toBe(400);
  expect(await garbage.text()).toContain("could not be read");

  const brokenMultipart = await replay({ "content-type": "multipart/form-data; boundary=zzz" }, "not multipart at all");
  expect(brokenMultipart.status()).toBe(400);

  // Well-formed, but the arguments are not a form: the action answers with a form message.
  const notAForm = await replay({ "content-type": "text/plain;charset=UTF-8" }, '[{"ok":false},"x"]');
  expect(notAForm.status()).toBe(200);
  expect(await notAForm.text()).toContain("This form arrived incomplete or malformed.");
});
