// /llms.txt: how an AI agent (or any script) pays for a call to an API behind Tollbooth.
export const dynamic = "force-static";

const TEXT = `# Tollbooth

> Tollbooth puts L402 payments in front of HTTP APIs: a call costs a few sats, paid over
> the Lightning Network. No account, no API key for the caller: pay the invoice, retry.

## How to pay for a call

1. Call the endpoint as usual. If it is priced you get HTTP 402 Payment Required with
   \`WWW-Authenticate: L402 macaroon="<base64>", invoice="<bolt11>"\` and a JSON body
   \`{error, priceSats, invoice, macaroon, paymentHash, expiresAt}\`.
2. Check the price (the invoice amount equals priceSats), then pay the BOLT11 invoice
   with any Lightning wallet. Paying reveals a 32-byte preimage (hex).
3. Retry the same request with \`Authorization: L402 <macaroon>:<preimage hex>\`.
   (\`LSAT\` works as the scheme too.) You get the normal response.
4. A credential is good for the endpoint it was bought for, for a number of calls (often
   one) and until it expires. When it is used up or expired the API answers 402 again
   with a fresh invoice: pay that one.

## Tools

- JavaScript: \`import { createL402Fetch, devWallet } from "@tollbooth/l402/client"\`;
  \`const fetch402 = createL402Fetch({ wallet, maxPriceSats: 100, budgetSats: 1000 })\`.
- Command line: \`npx tollbooth-pay <url> --max-sats 100\`.
- Any L402 client works, e.g. \`fetchWithL402\` from @getalby/lightning-tools, or lnget.

## Discovering prices

- An API using the Tollbooth middleware may serve \`/.well-known/l402.json\`.
- Every tenant's priced endpoints: \`GET /api/public/tenants/<slug>/l402.json\` on Tollbooth:
  \`{tenant, endpoints:[{method, path, priceSats, description, usesPerPayment, tokenLifetimeSeconds}]}\`.

## Test mode

Invoices starting \`lntb\` are test invoices from Tollbooth's simulated Lightning node: pay
them with the dev wallet (\`POST /api/dev/pay {"invoice":"lntb…"}\` returns \`{preimage}\`),
never with real money.
`;

export function GET() {
  return new Response(TEXT, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=3600" } });
}
