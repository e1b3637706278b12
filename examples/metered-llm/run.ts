/**
 * The whole example in one process: the metered API on a free port, the agent's twenty
 * calls, then the balance history the owner sees (GET /api/v1/prepaid-balances/{id}).
 *
 *   TOLLBOOTH_API_KEY=tb_test_… [TOLLBOOTH_URL=http://localhost:3000] npx tsx examples/metered-llm/run.ts
 */
import type { AddressInfo } from "node:net";
import { createApp, ensureMeteredEndpoint } from "./app";
import { runAgent } from "./agent";

const apiKey = process.env.TOLLBOOTH_API_KEY;
const baseUrl = process.env.TOLLBOOTH_URL ?? "http://localhost:3000";
if (!apiKey) {
  console.error("TOLLBOOTH_API_KEY is not set: start Tollbooth with `npm run dev` and use the test key it prints.");
  process.exit(1);
}

await ensureMeteredEndpoint({ apiKey, baseUrl });
const server = createApp({ apiKey, baseUrl }).listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
try {
  await runAgent(apiUrl, baseUrl);
  // Settles run just after each answer: give the last one a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const headers = { authorization: `Bearer ${apiKey}` };
  const list = (await (await fetch(`${baseUrl}/api/v1/prepaid-balances?limit=1&endpoint=POST%20%2Fv1%2Fcomplete`, { headers })).json()) as {
    data: { id: string }[];
  };
  const balance = (await (await fetch(`${baseUrl}/api/v1/prepaid-balances/${list.data[0]!.id}`, { headers })).json()) as {
    id: string;
    balanceMsat: string;
    spentMsat: string;
    history: { kind: string; amountMsat: string; balanceAfterMsat: string; description: string | null }[];
  };
  console.log(`\nbalance history of ${balance.id} (oldest first):`);
  for (const m of [...balance.history].reverse())
    console.log(
      `  ${m.kind.padEnd(8)} ${m.amountMsat.padStart(8)} msat  balance ${m.balanceAfterMsat.padStart(7)}  ${m.description ?? ""}`,
    );
  console.log(`balance ${balance.balanceMsat} msat, spent ${balance.spentMsat} msat`);
} finally {
  server.close();
}
