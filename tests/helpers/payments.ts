// Payments made through the real API, as a payer and the middleware make them: an invoice
// (POST /api/v1/invoices), the dev wallet pays it, verify redeems it and settles it.
import { expect } from "vitest";
import { call, type Api } from "./api";

export async function issue(app: Api, key: string, endpoint: string) {
  const issued = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint } });
  expect(issued.status).toBe(201);
  return issued.body as { paymentHash: string; invoice: string; macaroon: string; amountSats: number };
}

export async function payInvoice(app: Api, invoice: string): Promise<string> {
  const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice } });
  expect(paid.status).toBe(200);
  return paid.body.preimage as string;
}

/** Issue, pay and (unless redeem is false) redeem once: a settled payment. */
export async function paidCall(app: Api, key: string, endpoint: string, options: { redeem?: boolean } = {}) {
  const issued = await issue(app, key, endpoint);
  const preimage = await payInvoice(app, issued.invoice);
  const authorization = `L402 ${issued.macaroon}:${preimage}`;
  if (options.redeem !== false) {
    const [method, path] = endpoint.split(" ");
    const verified = await call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method, path } });
    expect(verified.body).toMatchObject({ valid: true });
    return { ...issued, authorization, redemption: verified.body.redemption as number };
  }
  return { ...issued, authorization, redemption: 0 };
}
