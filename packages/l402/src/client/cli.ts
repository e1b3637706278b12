#!/usr/bin/env node
/**
 * tollbooth-pay: fetch a URL, paying its L402 challenge within limits. See USAGE in
 * cli-options.ts. Output is the response body (or JSON with --json) on stdout; every
 * complaint goes to stderr, so the body can be piped on as is.
 */
import { USAGE, UsageError, parseCliOptions, type CliOptions, type WalletChoice } from "./cli-options.js";
import { describeError } from "./describe-error.js";
import { devWallet } from "./dev-wallet.js";
import { isL402PaymentRefused, isL402WalletError } from "./errors.js";
import { createL402Fetch } from "./l402-fetch.js";
import { lndWallet } from "./lnd-wallet.js";
import type { L402Wallet } from "./wallet.js";

async function main(argv: readonly string[]): Promise<number> {
  let options: CliOptions | null;
  try {
    options = parseCliOptions(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`tollbooth-pay: ${error.message}\nRun tollbooth-pay --help for usage.\n`);
    return 1;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }

  const paidFetch = createL402Fetch({
    wallet: walletFor(options.wallet),
    maxPriceSats: options.maxPriceSats,
    ...(options.budgetSats !== undefined ? { budgetSats: options.budgetSats } : {}),
  });
  try {
    const response = await paidFetch(options.url, {
      method: options.method,
      headers: options.headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const bodyText = await response.text();
    const lastPayment = paidFetch.payments.at(-1);
    if (options.json) {
      const report = {
        status: response.status,
        paidSats: paidFetch.spentSats,
        paymentHash: lastPayment?.paymentHash ?? null,
        body: jsonOrText(bodyText),
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(bodyText);
    }
    if (response.ok) return 0;
    process.stderr.write(`tollbooth-pay: ${options.method} ${options.url} answered ${response.status}${paidNote(paidFetch.spentSats)}\n`);
    return 1;
  } catch (error) {
    return reportFailure(error, options, paidFetch.spentSats, paidFetch.payments.at(-1)?.paymentHash ?? null);
  }
}

function walletFor(choice: WalletChoice): L402Wallet {
  return choice.kind === "dev"
    ? devWallet({ baseUrl: choice.devUrl })
    : lndWallet({ restUrl: choice.lndUrl, macaroonHex: choice.macaroonHex });
}

function reportFailure(error: unknown, options: CliOptions, spentSats: number, paymentHash: string | null): number {
  const code = isL402PaymentRefused(error) || isL402WalletError(error) ? error.code : "request_failed";
  const message = describeError(error);
  const what = isL402PaymentRefused(error) ? "refused to pay" : isL402WalletError(error) ? "payment failed" : "request failed";
  process.stderr.write(`tollbooth-pay: ${what} (${code}): ${message}${paidNote(spentSats)}\n`);
  // With --json a script still gets one JSON document on stdout.
  if (options.json)
    process.stdout.write(`${JSON.stringify({ status: null, paidSats: spentSats, paymentHash, error: { code, message } }, null, 2)}\n`);
  return 1;
}

function paidNote(spentSats: number): string {
  return spentSats > 0 ? ` (paid ${spentSats} sats)` : "";
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`tollbooth-pay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
