// The webhooks page end to end: add an endpoint (its secret shown once), send a test event
// to a real receiver started here, and see the delivery with its status on the page.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhook } from "@tollbooth/l402";
import { expectDashboard, signUp, uniqueEmail } from "./helpers";

test("add an endpoint, send a test event, see the delivery succeed", async ({ page }) => {
  const received: { body: string; signature: string }[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ body, signature: String(request.headers["tollbooth-signature"]) });
      response.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  try {
    await page.goto("/sign-up");
    await signUp(page, uniqueEmail("hooks"), "Hooks Co");
    await expectDashboard(page, "Hooks Co");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByText("No test webhook endpoints yet")).toBeVisible();

    await page.getByRole("button", { name: "Add your first endpoint" }).click();
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByTestId("webhook-secret-value").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("link", { name: url }).click();
    await expect(page.getByText("No deliveries yet")).toBeVisible();
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test payment.settled event queued.")).toBeVisible();
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId("webhook-delivery").first().textContent();
        },
        { timeout: 30_000 },
      )
      .toMatch(/succeeded.*HTTP 200/);
    expect(received).toHaveLength(1);
    expect(verifyWebhook(received[0].body, received[0].signature, secret)).toMatchObject({ type: "payment.settled", data: { test: true } });

    await page.getByTestId("webhook-delivery").first().getByRole("link").click();
    await expect(page.getByText("Tollbooth-Signature: t=")).toBeVisible();
    await expect(page.getByLabel("Response body")).toHaveText("thanks");
  } finally {
    server.close();
  }
});
