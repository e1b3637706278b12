/**
 * An Express 5 API that charges for some of its routes with Tollbooth.
 *
 *   GET /                     free: says what is on offer
 *   GET /premium              10 sats, one call per payment
 *   GET /forecast/:city       21 sats, ten calls per payment (any city)
 *   GET /flaky                5 sats; the first attempt of each payment fails with 500
 *                             ("paid but failed": the use is given back, retry for free)
 *   GET /.well-known/l402.json  what this API charges, for agents
 *
 * The prices here register the routes on first use; a price set on the Tollbooth
 * dashboard always wins (the demo tenant of `npm run dev` has /premium and
 * /forecast/:city already).
 */
import express, { type ErrorRequestHandler, type Request } from "express";
import { l402, l402WellKnown, type L402Options, type L402Payment } from "@tollbooth/l402";

export interface ExampleOptions {
  /** Your Tollbooth API key (tb_test_… for simulated sats). */
  apiKey: string;
  /** The Tollbooth service, e.g. http://localhost:3000. */
  baseUrl: string;
  /** Where the middleware's warnings go; default console. */
  logger?: L402Options["logger"];
}

/** The payment l402() verified, when the call was paid. */
function paymentOf(req: Request): L402Payment | undefined {
  return (req as Request & { l402?: L402Payment }).l402;
}

const FORECASTS = ["sunny", "cloudy", "light rain", "windy", "snow showers", "thunderstorms"];

function forecastFor(city: string) {
  // Deterministic per city and day, so repeated calls agree.
  const day = new Date().toISOString().slice(0, 10);
  let hash = 0;
  for (const char of `${city.toLowerCase()}|${day}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return { city, date: day, summary: FORECASTS[hash % FORECASTS.length], highC: 5 + (hash % 25), lowC: -5 + ((hash >>> 8) % 15) };
}

export function createApp({ apiKey, baseUrl, logger }: ExampleOptions) {
  const service: L402Options = { apiKey, baseUrl, ...(logger !== undefined ? { logger } : {}) };
  const app = express();
  app.disable("x-powered-by");

  app.get("/", (_req, res) => {
    res.json({
      name: "Example weather API",
      free: ["GET /"],
      paid: [
        { route: "GET /premium", priceSats: 10 },
        { route: "GET /forecast/:city", priceSats: 21, usesPerPayment: 10 },
        { route: "GET /flaky", priceSats: 5, note: "fails once per payment; retry with the same credential" },
      ],
      discovery: "/.well-known/l402.json",
    });
  });

  // Answers GET /.well-known/l402.json from the tenant's discovery document; passes the rest on.
  app.use(l402WellKnown(service));

  app.get("/premium", l402({ ...service, priceSats: 10, description: "Premium weather report" }), (req, res) => {
    const payment = paymentOf(req);
    res.json({
      data: "premium",
      report: "Clear skies over the whole network today.",
      paid: { amountSats: payment?.amountSats, paymentHash: payment?.paymentHash },
    });
  });

  // One price for every city: the invoice is made for the route pattern, GET /forecast/:city.
  app.get("/forecast/:city", l402({ ...service, priceSats: 21, description: "City forecast, 10 calls" }), (req, res) => {
    const payment = paymentOf(req);
    res.json({ forecast: forecastFor(String(req.params.city)), remainingUses: payment?.remainingUses ?? null });
  });

  // "Paid but failed": pretend an upstream dependency is down on the first attempt of each
  // payment. The handler throws after the payment was verified; Express answers 500 through
  // the error handler below, and the middleware reports it to Tollbooth, which gives the use
  // back. The payer retries with the same credential and is not charged again.
  const failedOnce = new Set<string>();
  app.get("/flaky", l402({ ...service, priceSats: 5, description: "Flaky upstream demo" }), (req, res) => {
    const payment = paymentOf(req)!;
    if (!failedOnce.has(payment.paymentHash)) {
      failedOnce.add(payment.paymentHash);
      throw new Error("upstream weather station timed out");
    }
    res.json({ data: "flaky", note: "This is the retry: same credential, no second payment.", redemption: payment.redemption });
  });

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (res.headersSent) return;
    res.status(500).json({
      error: "Internal Server Error",
      message: error instanceof Error ? error.message : String(error),
      hint: "If you paid for this call, the use was given back: retry with the same Authorization header.",
    });
  };
  app.use(onError);

  return app;
}
