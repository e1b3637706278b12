// The metered pieces of @tollbooth/l402 on their own: the 402 body and the payment page
// for a deposit or top-up, and charge()'s arithmetic and refusals.
import { describe, expect, it } from "vitest";
import { paymentRequired } from "../../packages/l402/src/server/responses";
import { renderPaymentPage } from "../../packages/l402/src/server/payment-page";
import { meter } from "../../packages/l402/src/server/metered";
import type { IssuedInvoice, L402Payment } from "../../packages/l402/src/index";

const issued = (prepaid?: IssuedInvoice["prepaid"]): IssuedInvoice => ({
  paymentHash: "ab".repeat(32),
  invoice: "lntb5u1pexample",
  macaroon: "AgEJdG9sbGJvb3Ro",
  amountSats: 500,
  expiresAt: "2026-12-01T12:00:00.000Z",
  challenge: 'L402 macaroon="AgEJdG9sbGJvb3Ro", invoice="lntb5u1pexample"',
  endpoint: "POST /v1/complete",
  ...(prepaid ? { prepaid } : {}),
});

describe("a metered endpoint's 402", () => {
  it("carries the balance and the deposit's terms in the JSON body; a fixed price does not", () => {
    const topUp = paymentRequired({ issued: issued({ kind: "top_up", balanceMsat: "767", maxCostPerCallSats: 20 }) });
    expect(JSON.parse(topUp.body)).toMatchObject({
      priceSats: 500,
      balanceMsat: "767",
      prepaid: { kind: "top_up", maxCostPerCallSats: 20 },
    });
    const fixed = JSON.parse(paymentRequired({ issued: issued() }).body);
    expect(fixed).not.toHaveProperty("balanceMsat");
    expect(fixed).not.toHaveProperty("prepaid");
  });

  it("the payment page says what the deposit buys, and what a top-up carries over", () => {
    const page = (prepaid?: IssuedInvoice["prepaid"]) =>
      renderPaymentPage({ issued: issued(prepaid), baseUrl: "http://tollbooth.test", method: "POST" });
    expect(page({ kind: "deposit", balanceMsat: "0", maxCostPerCallSats: 20 })).toContain(
      "Deposit <b>500 sats</b> for a prepaid balance: each call costs what it uses, at most 20 sats.",
    );
    expect(page({ kind: "top_up", balanceMsat: "767", maxCostPerCallSats: null })).toContain(
      "Deposit <b>500 sats</b> (your 0.767 sats stay)",
    );
    expect(page()).toContain("This call costs <b>500 sats</b>.");
  });
});

describe("charge()", () => {
  const payment = (): L402Payment => ({
    paymentHash: "ab".repeat(32),
    amountSats: 500,
    endpoint: "POST /v1/complete",
    remainingUses: null,
    redemption: 3,
    balanceMsat: "10000",
    reservedMsat: "4000",
  });

  it("adds up msat and units, and the balance it reports never goes below the reservation's floor", () => {
    const seen: string[] = [];
    const p = payment();
    const call = meter(p, 25, (balance) => seen.push(balance));
    p.charge!(1000);
    p.charge!({ units: 40.2 }, "40.2 words");
    p.charge!(5000n);
    expect(call.chargedMsat).toBe(7005n);
    expect(call.description).toBe("40.2 words");
    // Charged past the 4,000 reserved: the service cuts it to 4,000, and so does the header.
    expect(seen).toEqual(["10000", "9000", "7995", "6000"]);
  });

  it("refuses a negative or fractional msat amount, and units without a rate", () => {
    const p = payment();
    meter(p, undefined, () => {});
    expect(() => p.charge!(-1)).toThrow(TypeError);
    expect(() => p.charge!(1.5)).toThrow(TypeError);
    expect(() => p.charge!(-1n)).toThrow(TypeError);
    expect(() => p.charge!({ units: 3 })).toThrow();
  });
});
