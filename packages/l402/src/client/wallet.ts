/**
 * What the client needs from a wallet: pay this invoice, hand back the preimage. The
 * same shape as @getalby/lightning-tools' wallets (WebLN, NWC), so those plug in as is.
 */
import { bytesToHex, hexToBytes, sha256 } from "../shared/crypto.js";
import { decodeInvoiceTerms } from "./bolt11.js";
import { L402WalletError } from "./errors.js";

export interface L402Wallet {
  /** Resolves once paid, with the preimage as 64 hex characters. */
  payInvoice(args: { invoice: string }): Promise<{ preimage: string }>;
}

const PREIMAGE_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The proof of payment is sha256(preimage) == the invoice's payment hash. A wallet that
 * answers anything else has not proven it paid this invoice, and the server would refuse
 * the credential anyway, so say so here with the wallet's name.
 * Returns the preimage in lower case (what Aperture expects in the credential).
 */
export function checkPreimage(params: { invoice: string; preimage: unknown; walletName: string }): string {
  const { invoice, preimage, walletName } = params;
  if (typeof preimage !== "string" || !PREIMAGE_HEX.test(preimage)) {
    throw new L402WalletError("bad_preimage", `${walletName} returned no valid preimage (expected 64 hex characters)`);
  }
  const paymentHashHex = decodeInvoiceTerms(invoice).paymentHashHex;
  if (bytesToHex(sha256(hexToBytes(preimage))) !== paymentHashHex) {
    throw new L402WalletError(
      "bad_preimage",
      `${walletName} returned a preimage that does not match the invoice's payment hash ${paymentHashHex}`,
    );
  }
  return preimage.toLowerCase();
}
