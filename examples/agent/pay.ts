/**
 * An agent that pays for what it fetches, within a limit.
 *
 *   npx tsx examples/agent/pay.ts [url] [--max-sats N] [--repeat N]
 *
 * url         default http://localhost:4000/premium (the Express example)
 * --max-sats  the most one call may cost (default 100); a dearer invoice is refused, unpaid
 * --repeat    call the URL N times (default 1): a multi-use credential is reused, not re-bought
 *
 * Pays with Tollbooth's dev wallet (simulated sats, test-mode keys only) at TOLLBOOTH_URL
 * (default http://localhost:3000). Swap devWallet for lndWallet, or any wallet with
 * `payInvoice({ invoice }) -> { preimage }` (Alby's NWC and WebLN wallets fit), for real sats.
 */
import { createL402Fetch, devWallet, isL402PaymentRefused, isL402WalletError } from "@tollbooth/l402/client";

const USAGE = "usage: npx tsx examples/agent/pay.ts [url] [--max-sats N] [--repeat N]";

function parseArgs(argv: string[]) {
  let url = "http://localhost:4000/premium";
  let maxSats = 100;
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const number = (name: string) => {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} needs a whole number of at least 1`);
      return value;
    };
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === "--max-sats") maxSats = number("--max-sats");
    else if (arg.startsWith("--max-sats=")) maxSats = Number(arg.slice("--max-sats=".length));
    else if (arg === "--repeat") repeat = number("--repeat");
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else url = arg;
  }
  if (!Number.isSafeInteger(maxSats) || maxSats < 1) throw new Error("--max-sats needs a whole number of at least 1");
  return { url, maxSats, repeat };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const walletUrl = process.env.TOLLBOOTH_URL ?? "http://localhost:3000";
  const paidFetch = createL402Fetch({
    wallet: devWallet({ baseUrl: walletUrl }),
    maxPriceSats: args.maxSats,
    onPayment: (payment) => console.error(`paid ${payment.amountSats} sats for ${payment.url} (payment hash ${payment.paymentHash})`),
  });

  console.error(
    `fetching ${args.url}${args.repeat > 1 ? ` ${args.repeat} times` : ""}, paying at most ${args.maxSats} sats a call with the dev wallet at ${walletUrl}`,
  );
  let failed = false;
  for (let call = 1; call <= args.repeat; call++) {
    const paidBefore = paidFetch.payments.length;
    try {
      const response = await paidFetch(args.url, { headers: { accept: "application/json" } });
      const text = await response.text();
      const paid =
        paidFetch.payments.length > paidBefore
          ? `paid ${paidFetch.payments.at(-1)!.amountSats} sats`
          : "no payment (free, or a credential already bought)";
      console.log(`#${call} ${response.status} (${paid})`);
      console.log(pretty(text));
      if (!response.ok) failed = true;
    } catch (error) {
      failed = true;
      if (isL402PaymentRefused(error)) {
        console.error(`#${call} refused to pay (${error.code}): ${error.message}. Nothing was spent on this call.`);
        break;
      }
      if (isL402WalletError(error)) {
        console.error(`#${call} the wallet failed (${error.code}): ${error.message}`);
        if (error.code === "wallet_unavailable")
          console.error(`Is Tollbooth running at ${walletUrl}? Start it with \`npm run dev\`, or set TOLLBOOTH_URL.`);
        break;
      }
      console.error(`#${call} request failed: ${(error as Error).message}`);
      break;
    }
  }
  console.log(`spent ${paidFetch.spentSats} sats in ${paidFetch.payments.length} payment${paidFetch.payments.length === 1 ? "" : "s"}`);
  return failed ? 1 : 0;
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

main().then((code) => process.exit(code));
