// One interface for every Lightning backend: the simulated node (default, and always for
// test-mode keys), LND's REST API and LNbits. Hashes and preimages are lowercase hex.

export type BackendName = "simulated" | "lnd" | "lnbits";

export interface CreateInvoiceInput {
  amountMsat: bigint;
  description: string;
  expirySeconds: number;
}

export interface CreatedInvoice {
  paymentHash: string;
  bolt11: string;
  expiresAt: Date;
}

export type IncomingInvoiceStatus =
  | { state: "pending" }
  | { state: "expired" }
  | { state: "settled"; preimage: string; settledAt: Date; amountPaidMsat: bigint };

export interface PayInvoiceInput {
  bolt11: string;
  /** Most we accept to pay in routing fees. */
  maxFeeMsat: bigint;
  timeoutSeconds: number;
}

export type OutgoingPaymentStatus =
  | { state: "in_flight" }
  | { state: "failed"; reason: string }
  | { state: "unknown" }
  | { state: "succeeded"; preimage: string; feeMsat: bigint; amountMsat: bigint };

export interface LightningBackend {
  readonly name: BackendName;
  createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice>;
  lookupInvoice(paymentHash: string): Promise<IncomingInvoiceStatus>;
  /** Pays and waits (up to timeoutSeconds) for a final state. */
  payInvoice(input: PayInvoiceInput): Promise<OutgoingPaymentStatus>;
  /** What happened to a payment we may have sent: look before any retry, never pay twice. */
  lookupPayment(paymentHash: string): Promise<OutgoingPaymentStatus>;
  /** What the node (or wallet) holds that it can pay out with: reconciliation compares it
   *  with the ledger's Lightning holdings. */
  balanceMsat(): Promise<bigint>;
}

export class LightningError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
    readonly status?: number,
  ) {
    super(`${backend}: ${message}`);
    this.name = "LightningError";
  }
}
