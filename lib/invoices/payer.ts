// What a payer may learn without an API key, so a payment page can finish the call by
// itself once a phone wallet has paid: whether an invoice is paid (public: it reveals
// nothing but the state), and, to the holder of its macaroon only, the preimage of a paid
// invoice: with the macaroon, that is the L402 credential the payer bought.
// Read-only: crediting stays with verify and the settlement watcher.
import { createHash } from "node:crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { decodeL402Identifier, isL402Error, macaroonFromBase64, rootKeyIdOf, verifyMacaroonSignature } from "../l402";
import { LightningError, type IncomingInvoiceStatus } from "../lightning/backend";
import { lightningBackendOf } from "../lightning/select";

export type PayerInvoiceState = "pending" | "paid" | "expired";

interface InvoiceRow {
  paymentHash: string;
  mode: "test" | "live";
  backend: string;
  state: PayerInvoiceState;
}

/** pending, paid or expired, as the Lightning node that issued the invoice sees it now. */
export async function payerInvoiceState(db: Db, paymentHash: string): Promise<{ paymentHash: string; state: PayerInvoiceState }> {
  const invoice = await findInvoiceRow(db, paymentHash);
  // Paid in our books (redeemed or credited): no need to ask the node.
  if (invoice.state === "paid") return { paymentHash, state: "paid" };
  const status = await nodeStatus(db, invoice);
  return { paymentHash, state: status.state === "settled" ? "paid" : status.state };
}

/**
 * The preimage of a paid invoice, for whoever holds its token: the macaroon must be one we
 * minted (its signature verifies against the token's stored root key), and the invoice it
 * names must be paid. Anyone else learns nothing they could redeem.
 */
export async function preimageForMacaroon(db: Db, macaroonBase64: string): Promise<{ paymentHash: string; preimage: string }> {
  let macaroon;
  let paymentHash: string;
  try {
    macaroon = macaroonFromBase64(macaroonBase64);
    paymentHash = bytesToHex(decodeL402Identifier(macaroon.identifier).paymentHash);
  } catch (error) {
    if (!isL402Error(error)) throw error;
    throw new AppError("invalid_request_error", "invalid_macaroon", `Not an L402 macaroon: ${error.message}`, { param: "macaroon" });
  }
  const token = await db.l402Token.findUnique({
    where: { rootKeyId: bytesToHex(rootKeyIdOf(macaroon.identifier)) },
    select: { rootKey: true, paymentHash: true },
  });
  // One answer for "unknown" and "forged": neither tells an attacker anything.
  if (!token || token.paymentHash !== paymentHash || !verifyMacaroonSignature(macaroon, new Uint8Array(token.rootKey))) {
    throw new AppError(
      "permission_error",
      "macaroon_not_accepted",
      "This macaroon was not issued by Tollbooth, was altered, or its token was deleted.",
      { param: "macaroon" },
    );
  }
  const status = await nodeStatus(db, await findInvoiceRow(db, paymentHash));
  if (status.state === "pending")
    throw new AppError("conflict_error", "invoice_not_paid", "The invoice is not paid yet. Pay it, then ask again.");
  if (status.state === "expired") throw new AppError("conflict_error", "invoice_expired", "The invoice expired unpaid. Ask for a new one.");
  // A node that answers "settled" with the wrong preimage would hand out a useless credential.
  if (createHash("sha256").update(Buffer.from(status.preimage, "hex")).digest("hex") !== paymentHash) {
    throw new AppError(
      "api_error",
      "lightning_unavailable",
      "The Lightning node's answer for this invoice could not be checked. Retry shortly.",
      { status: 503 },
    );
  }
  return { paymentHash, preimage: status.preimage };
}

async function findInvoiceRow(db: Db, paymentHash: string): Promise<InvoiceRow> {
  const invoice = await db.invoice.findUnique({
    where: { paymentHash },
    select: { paymentHash: true, mode: true, backend: true, state: true },
  });
  if (!invoice) throw new AppError("not_found_error", "invoice_not_found", "No invoice with this payment hash.");
  return invoice;
}

async function nodeStatus(db: Db, invoice: InvoiceRow): Promise<IncomingInvoiceStatus> {
  try {
    // The node that issued it, whatever LIGHTNING_BACKEND says now.
    return await lightningBackendOf(invoice, db).lookupInvoice(invoice.paymentHash);
  } catch (error) {
    if (!(error instanceof LightningError)) throw error;
    // The node is down or slow: the page polls again; nothing here is the caller's fault.
    throw new AppError("api_error", "lightning_unavailable", "The Lightning node could not be asked about this invoice. Retry shortly.", {
      status: 503,
    });
  }
}
