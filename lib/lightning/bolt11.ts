/**
 * BOLT11 invoices for the simulated Lightning node: encode and sign, and a basic
 * decoder for the rest of the service (dev wallet, payouts). The pieces live in the
 * bolt11-*.ts files beside this one; import from here.
 */

export { encodeInvoice, type InvoiceFields } from "./bolt11-encode";
export { decodeInvoiceBasic, type DecodedInvoice } from "./bolt11-decode";
export { createSigner, type Bolt11Signer } from "./bolt11-signer";
export { createNobleSigner } from "./bolt11-signer-noble";
export { encodeAmount, decodeAmount } from "./bolt11-amount";
export { FEATURE } from "./bolt11-features";
export { INVOICE_PREFIX_BY_NETWORK, type Bolt11Network } from "./bolt11-network";
export { DEFAULT_EXPIRY_SECONDS, DEFAULT_MIN_FINAL_CLTV_EXPIRY, MAX_DESCRIPTION_BYTES } from "./bolt11-tags";
