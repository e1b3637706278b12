/**
 * The paying agent: deposits once (the first 402 is the deposit), then makes twenty calls
 * on the same prepaid balance, reading the balance left from Tollbooth-Balance-Msat after
 * each. createL402Fetch would pay a top-up the same way, within maxPriceSats and the budget.
 */
import { createL402Fetch, devWallet } from "@tollbooth/l402/client";

export const PROMPTS = Array.from({ length: 20 }, (_, i) => `Question ${i + 1}: what does a prepaid Lightning balance buy?`);

export async function runAgent(apiUrl: string, walletUrl: string, log: (line: string) => void = console.log) {
  const paidFetch = createL402Fetch({
    wallet: devWallet({ baseUrl: walletUrl }),
    maxPriceSats: 500,
    budgetSats: 1000,
    onPayment: (p) => log(`paid ${p.amountSats} sats (${p.prepaid ?? "call"}), payment hash ${p.paymentHash.slice(0, 12)}…`),
  });
  for (const [i, prompt] of PROMPTS.entries()) {
    const response = await paidFetch(`${apiUrl}/v1/complete`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ prompt }),
    });
    const body = (await response.json()) as { usage?: { outputTokens: number; msat: number } };
    const balance = response.headers.get("tollbooth-balance-msat");
    log(
      `#${String(i + 1).padStart(2)} ${response.status} ${body.usage?.outputTokens ?? "-"} tokens, ${body.usage?.msat ?? "-"} msat; balance ${balance} msat`,
    );
  }
  log(`spent ${paidFetch.spentSats} sats in ${paidFetch.payments.length} payment(s)`);
}
