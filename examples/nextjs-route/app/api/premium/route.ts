// GET /api/premium, 10 sats a call. withL402 answers unpaid calls with 402 and a Lightning
// invoice (an HTML payment page for browsers) and runs the handler only for a verified
// payment. TOLLBOOTH_API_KEY and TOLLBOOTH_URL come from the environment.
import { after } from "next/server";
import { getL402, withL402 } from "@tollbooth/l402";

export const GET = withL402(
  async (request: Request) => {
    const payment = getL402(request);
    return Response.json({
      data: "premium",
      from: "a Next.js route handler",
      paid: { amountSats: payment?.amountSats, paymentHash: payment?.paymentHash },
    });
  },
  {
    priceSats: 10,
    description: "Premium data from the Next.js example",
    // If the handler throws or answers 5xx after a payment, the use is given back to the
    // payer; `after` keeps that report alive once the response has been sent.
    waitUntil: after,
  },
);
