/**
 * @tollbooth/l402/client: the payer side of L402. A fetch that pays 402 challenges
 * within a price limit and a budget, the wallets it pays with, and the typed errors it
 * throws. Runs wherever fetch does (Node 20+, browsers, edge runtimes).
 */
export { createL402Fetch, type L402Fetch, type L402FetchOptions, type L402Payment } from "./l402-fetch.js";
export { devWallet, type DevWalletOptions } from "./dev-wallet.js";
export { lndWallet, type LndWalletOptions } from "./lnd-wallet.js";
export { checkPreimage, type L402Wallet } from "./wallet.js";
export {
  L402PaymentRefused,
  L402WalletError,
  isL402PaymentRefused,
  isL402WalletError,
  type RefusalCode,
  type RefusalDetails,
  type WalletErrorCode,
} from "./errors.js";
export { parseL402Challenges, type L402Challenge, type L402Scheme } from "./challenge.js";
export { decodeInvoiceTerms, type Bolt11Network, type InvoiceTerms } from "./bolt11.js";
