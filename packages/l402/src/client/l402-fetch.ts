/**
 * createL402Fetch: a drop-in `fetch` that pays L402 challenges within limits.
 *
 *   request ──> 402 + challenge ──> check price and budget ──> wallet pays ──> retry with
 *   `Authorization: L402 <macaroon>:<preimage>` ──> response
 *
 * A credential that worked is sent proactively on the next call to the same
 * (method, origin, path), so multi-use tokens are not paid for again; when the server
 * answers 402 to it, it is dropped and the new challenge is paid.
 */
import { CredentialCache } from "./credential-cache.js";
import { payChallenge } from "./pay-challenge.js";
import { readPaymentRequired } from "./payment-required.js";
import { ReplayableRequest } from "./replayable-request.js";
import { SpendingLimits, msatToSats } from "./spending-limits.js";
import type { L402Wallet } from "./wallet.js";

export interface L402Payment {
  /** The URL of the request that was paid for. */
  url: string;
  /** The invoice amount in whole sats (rounded up); routing fees are the wallet's business. */
  amountSats: number;
  /** Hex. */
  paymentHash: string;
  at: Date;
  /** A metered endpoint's deposit, or a top-up of its balance (within the same budget). */
  prepaid?: "deposit" | "top_up";
}

export interface L402FetchOptions {
  wallet: L402Wallet;
  /** The most one request may cost; a dearer invoice is refused (over_max_price). */
  maxPriceSats: number;
  /** The most this fetch function may spend over its lifetime; omit for no total limit. */
  budgetSats?: number | undefined;
  /** The fetch used for the actual requests. Default: globalThis.fetch. */
  fetch?: typeof fetch;
  /**
   * Called after each payment, before the paid retry. An exception thrown here fails the
   * call, but the payment is still recorded and its credential kept for the next call.
   */
  onPayment?: (payment: L402Payment) => void;
  /** Metered endpoints: the balance left after each call (the Tollbooth-Balance-Msat header). */
  onBalance?: (balanceMsat: bigint, url: string) => void;
}

export type L402Fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response>) & {
  /** Total of `payments`, in sats. */
  readonly spentSats: number;
  /** Every payment made, oldest first (a copy). */
  readonly payments: readonly L402Payment[];
  /** The last Tollbooth-Balance-Msat a metered endpoint answered with, if any. */
  readonly balanceMsat: bigint | undefined;
};

/**
 * Returns the paid `fetch`. It resolves with the server's response like fetch; when a
 * paid retry still answers 402 that response is returned as is (we never pay twice for
 * one call). It rejects with L402PaymentRefused when it will not pay (nothing spent) and
 * L402WalletError when the wallet fails.
 */
export function createL402Fetch(options: L402FetchOptions): L402Fetch {
  const { wallet, onPayment, onBalance } = options;
  let balanceMsat: bigint | undefined;
  const noteBalance = (response: Response, url: string): Response => {
    const header = response.headers.get("tollbooth-balance-msat");
    if (header && /^\d+$/.test(header)) {
      balanceMsat = BigInt(header);
      onBalance?.(balanceMsat, url);
    }
    return response;
  };
  // Looked up per call, so a fetch patched in later (tests, instrumentation) is used too.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const limits = new SpendingLimits({ maxPriceSats: options.maxPriceSats, budgetSats: options.budgetSats });
  const credentials = new CredentialCache();
  const payments: L402Payment[] = [];

  async function l402Fetch(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
    const request = await ReplayableRequest.from(input, init);
    const { method, url } = request;

    const cached = credentials.get(method, url);
    const first = await request.send(fetchImpl, cached);
    if (first.status !== 402) return noteBalance(first, url);
    // Expired, used up or revoked: the 402 carries a fresh challenge to pay instead.
    if (cached !== undefined) credentials.forget(method, url, cached);

    const required = await readPaymentRequired(first);
    const paid = await payChallenge({ required, url, wallet, limits });
    // A metered balance that ran low answers 402 with a top-up invoice: paid like any other,
    // within maxPriceSats and the budget; the new credential carries the balance over.
    const payment: L402Payment = {
      url,
      amountSats: msatToSats(paid.amountMsat),
      paymentHash: paid.paymentHashHex,
      at: new Date(),
      ...(required.prepaid ? { prepaid: required.prepaid } : {}),
    };
    payments.push(payment);
    // Kept before the retry, so a retry lost to the network does not waste what was paid.
    credentials.set(method, url, paid.authorization);
    onPayment?.({ ...payment });

    const retried = await request.send(fetchImpl, paid.authorization);
    if (retried.status === 402) credentials.forget(method, url, paid.authorization);
    return noteBalance(retried, url);
  }

  return Object.defineProperties(l402Fetch, {
    spentSats: { get: () => payments.reduce((total, payment) => total + payment.amountSats, 0), enumerable: true },
    payments: { get: () => payments.map((payment) => ({ ...payment })), enumerable: true },
    balanceMsat: { get: () => balanceMsat, enumerable: true },
  }) as L402Fetch;
}
