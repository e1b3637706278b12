import { chromium } from "@playwright/test";
const base = process.argv[2];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
});
const page = await browser.newPage();
page.on("console", (m) => {
  if (m.type() === "error") console.log("console:", m.type(), m.text().slice(0, 200));
});
page.on("requestfinished", async (r) => {
  const s = (await r.response())?.status() ?? 0;
  if (s >= 400) console.log("resp", s, r.url().slice(0, 120));
});
await page.goto(`${base}/sign-up`, { timeout: 120000 });
const email = `newuser-${Date.now()}@example.com`;
await page.getByLabel("Work email").fill(email);
await page.getByLabel("Password", { exact: true }).fill("e2e password 123");
await page.getByLabel("Workspace name").fill("New User Co");
await page.getByRole("button", { name: "Create account" }).click();
try {
  await page.waitForURL(/\/dashboard/, { timeout: 90000 });
  await page.getByRole("heading", { level: 1, name: "New User Co" }).waitFor({ timeout: 30000 });
  console.log("SIGNED UP, on", page.url());
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/, { timeout: 30000 });
  console.log("SIGNED OUT, on", page.url());
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("e2e password 123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard/, { timeout: 60000 });
  await page.getByRole("heading", { level: 1, name: "New User Co" }).waitFor({ timeout: 30000 });
  console.log("SIGNED IN, on", page.url());
} catch (e) {
  console.log("FAILED; url", page.url(), String(e).slice(0, 300));
  await page.screenshot({ path: "/tmp/newuser/signup-fail.png" });
}
await browser.close();
