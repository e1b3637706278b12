/**
 * Deciding whether to pay a 402, and paying it: every refusal happens before the wallet
 * is called, and the budget is reserved before the first await so concurrent calls
 * cannot overspend it together.
 */
import { decodeInvoiceTerms, type InvoiceTerms } from "./bolt11.js";
import type { L402Challenge } from "./challenge.js";
import { describeError } from "./describe-error.js";
import { L402PaymentRefused, L402WalletError, isL402WalletError } from "./errors.js";
import type { PaymentRequired } from "./payment-required.js";
import { msatToSats, type SpendingLimits } from "./spending-limits.js";
import { checkPreimage, type L402Wallet } from "./wallet.js";

export interface PaidChallenge {
  /** The whole Authorization header value: `<scheme> <macaroon>:<preimage hex>`. */
  authorization: string;
  amountMsat: bigint;
  paymentHashHex: string;
}

export async function payChallenge(params: {
  required: PaymentRequired;
  url: string;
  wallet: L402Wallet;
  limits: SpendingLimits;
}): Promise<PaidChallenge> {
  const { required, url, wallet, limits } = params;
  const { challenge, terms } = pickChallenge(required.challenges, url);
  if (terms.amountMsat === null) {
    throw new L402PaymentRefused(
      "amountless_invoice",
      "the invoice has no amount; refusing to pay an amount the payer would have to choose",
      { url },
    );
  }
  const amountMsat = terms.amountMsat;
  const amountSats = msatToSats(amountMsat);
  const { advertisedSats } = required;
  // A 402 that advertises one price and invoices another is broken or tampered with.
  if (advertisedSats !== undefined && Number(amountMsat) !== advertisedSats * 1000) {
    throw new L402PaymentRefused(
      "amount_mismatch",
      `the invoice asks ${amountSats} sats but the server advertised priceSats ${advertisedSats}`,
      { url, amountSats, advertisedSats },
    );
  }
  limits.reserve(amountMsat, url);

  let preimageHex: string;
  try {
    const paid = await wallet.payInvoice({ invoice: challenge.invoice });
    // Checked here as well as in our wallets: any wallet can be plugged in, and a wrong
    // preimage would only fail later, at the server, with the money already gone.
    preimageHex = checkPreimage({ invoice: challenge.invoice, preimage: paid?.preimage, walletName: "the wallet" });
  } catch (error) {
    const walletError = isL402WalletError(error)
      ? error
      : new L402WalletError("payment_failed", `the wallet failed to pay: ${describeError(error)}`, { cause: error });
    // Money that may have left (in flight, or "paid" with a bad preimage) stays counted against the budget.
    if (!walletError.mayHaveBeenPaid) limits.release(amountMsat);
    throw walletError;
  }
  return {
    // The scheme the server used: an LSAT-era server may only accept LSAT credentials.
    authorization: `${challenge.scheme} ${challenge.macaroon}:${preimageHex}`,
    amountMsat,
    paymentHashHex: terms.paymentHashHex,
  };
}

/** The first challenge (servers list their preferred one first) whose invoice can be read. */
function pickChallenge(challenges: readonly L402Challenge[], url: string): { challenge: L402Challenge; terms: InvoiceTerms } {
  if (challenges.length === 0) {
    throw new L402PaymentRefused("no_challenge", "the server answered 402 without an L402 or LSAT challenge", { url });
  }
  let firstError: unknown;
  for (const challenge of challenges) {
    try {
      return { challenge, terms: decodeInvoiceTerms(challenge.invoice) };
    } catch (error) {
      firstError ??= error;
    }
  }
  throw new L402PaymentRefused("invalid_invoice", `the challenge's invoice cannot be read: ${(firstError as Error).message}`, { url });
}
