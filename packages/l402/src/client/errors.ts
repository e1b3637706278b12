/**
 * The two ways a paid call goes wrong on the payer's side, as typed errors a caller
 * can branch on by `code`: we decided not to pay (L402PaymentRefused), or we tried and
 * the wallet did not deliver a usable preimage (L402WalletError).
 */

export type RefusalCode =
  /** The invoice asks more than maxPriceSats. */
  | "over_max_price"
  /** Paying would take the total past budgetSats. */
  | "over_budget"
  /** The 402 body advertised priceSats and the invoice asks something else. */
  | "amount_mismatch"
  /** The invoice leaves the amount to the payer: we never pay an open-ended amount. */
  | "amountless_invoice"
  /** A 402 without an L402/LSAT challenge we could read. */
  | "no_challenge"
  /** The challenge's invoice is not a BOLT11 invoice we can read. */
  | "invalid_invoice";

export interface RefusalDetails {
  url: string;
  /** What the invoice asks, when it could be read. */
  amountSats?: number;
  maxPriceSats?: number;
  /** Budget left before this payment. */
  remainingSats?: number;
  /** priceSats from the 402 JSON body. */
  advertisedSats?: number;
}

/** Thrown before any money moves: the wallet was not called. */
export class L402PaymentRefused extends Error {
  override readonly name = "L402PaymentRefused";

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly details: RefusalDetails,
  ) {
    super(message);
  }
}

export type WalletErrorCode =
  /** The wallet (or the network) says the payment did not go through. */
  | "payment_failed"
  /** Sent, outcome unknown: the money may still arrive at the payee. */
  | "payment_in_flight"
  /** The wallet answered a preimage that does not hash to the invoice's payment hash. */
  | "bad_preimage"
  /** The wallet could not be reached or answered something we cannot read. */
  | "wallet_unavailable";

export class L402WalletError extends Error {
  override readonly name = "L402WalletError";

  constructor(
    readonly code: WalletErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when money may have left the wallet, so the amount must stay counted against the budget. */
  get mayHaveBeenPaid(): boolean {
    return this.code === "payment_in_flight" || this.code === "bad_preimage";
  }
}

export function isL402PaymentRefused(error: unknown): error is L402PaymentRefused {
  return error instanceof L402PaymentRefused;
}

export function isL402WalletError(error: unknown): error is L402WalletError {
  return error instanceof L402WalletError;
}
