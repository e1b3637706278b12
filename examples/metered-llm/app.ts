/**
 * The metered LLM API: POST /v1/complete {prompt} answers a text and charges per output
 * token. The endpoint is metered on Tollbooth (a deposit opens a prepaid balance; each call
 * reserves up to the maximum and is charged what it cost): see ensureMeteredEndpoint.
 */
import express from "express";
import { l402, type L402Payment } from "@tollbooth/l402";
import { complete } from "./model";

/** What one output token costs: 40 msat (a 100-token answer is 4 sats). */
export const MSAT_PER_TOKEN = 40;

export function createApp(options: { apiKey: string; baseUrl: string }) {
  const app = express();
  app.use(express.json({ limit: "16kb" }));
  app.post("/v1/complete", l402({ apiKey: options.apiKey, baseUrl: options.baseUrl, msatPerUnit: MSAT_PER_TOKEN }), (req, res) => {
    const prompt = typeof req.body?.prompt === "string" ? req.body.prompt : "";
    if (!prompt) return void res.status(400).json({ error: "prompt is required" });
    const answer = complete(prompt);
    const payment = (req as unknown as { l402: L402Payment }).l402;
    // Charged once the answer is sent; the rest of the reservation goes back to the balance.
    payment.charge!({ units: answer.outputTokens }, `completion: ${answer.outputTokens} output tokens`);
    res.json({ text: answer.text, usage: { outputTokens: answer.outputTokens, msat: answer.outputTokens * MSAT_PER_TOKEN } });
  });
  return app;
}

/** Registers POST /v1/complete as metered (idempotent): a 500-sat deposit, at most 20 sats a call. */
export async function ensureMeteredEndpoint(options: { apiKey: string; baseUrl: string }) {
  const settings = {
    pricingMode: "metered",
    priceSats: 500,
    maxCostPerCallSats: 20,
    tokenLifetimeSeconds: 86_400,
    description: "Metered completions",
  };
  const headers = { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" };
  const created = await fetch(`${options.baseUrl}/api/v1/endpoints`, {
    method: "POST",
    headers,
    body: JSON.stringify({ method: "POST", path: "/v1/complete", ...settings }),
  });
  if (created.status === 201) return;
  if (created.status !== 409) throw new Error(`registering the endpoint: ${created.status} ${await created.text()}`);
  const list = (await (await fetch(`${options.baseUrl}/api/v1/endpoints?limit=100`, { headers })).json()) as {
    data: { id: string; method: string; path: string }[];
  };
  const existing = list.data.find((e) => e.method === "POST" && e.path === "/v1/complete")!;
  const updated = await fetch(`${options.baseUrl}/api/v1/endpoints/${existing.id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify(settings),
  });
  if (!updated.ok) throw new Error(`updating the endpoint: ${updated.status} ${await updated.text()}`);
}
