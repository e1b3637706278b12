// The answers of the Tollbooth service the middleware reads (docs/middleware-protocol.md).

/** 201 of POST /api/v1/invoices; also `freshInvoice` in a verify 402. */
export interface IssuedInvoice {
  paymentHash: string;
  invoice: string;
  macaroon: string;
  amountSats: number;
  expiresAt: string;
  /** The exact WWW-Authenticate value to send with the 402. */
  challenge: string;
  endpoint: string;
  /** Metered endpoints: this invoice is a deposit that opens a prepaid balance, or a top-up
   *  whose payment adds to the balance `balanceMsat` (carried over to the new credential). */
  prepaid?: PrepaidTerms;
}

export interface PrepaidTerms {
  kind: "deposit" | "top_up";
  /** The balance now (msat, decimal string); "0" for a deposit. */
  balanceMsat: string;
  /** The most one call may cost; null: a call may use the whole balance. */
  maxCostPerCallSats: number | null;
}

export interface VerifyValid {
  valid: true;
  paymentHash: string;
  amountSats: number;
  endpoint: string;
  remainingUses: number | null;
  /** Which use this was; what POST /api/v1/l402/release gives back. */
  redemption?: number;
  /** Metered endpoints: what this call reserved and the balance it came from (msat, strings). */
  metered?: { reservedMsat: string; balanceMsat: string };
}

export interface VerifyRefused {
  valid: false;
  error: { type: "payment_required"; code: string; message: string };
  challenge?: string;
  freshInvoice?: IssuedInvoice;
}

export type VerifyAnswer = VerifyValid | VerifyRefused;

export interface DiscoveryDocument {
  tenant: { name: string; slug: string; logoUrl: string | null; accentColor: string | null };
  endpoints: {
    method: string;
    path: string;
    priceSats: number;
    description: string | null;
    usesPerPayment: number;
    tokenLifetimeSeconds: number;
  }[];
  [key: string]: unknown;
}

// A header value must be visible ASCII: anything else (CR/LF above all) would let a
// compromised or buggy service inject headers into the owner's response.
const HEADER_VALUE = /^[\x20-\x7e]+$/;

type Loose = Record<string, unknown> | null | undefined;

const hasStrings = (value: unknown, keys: string[]): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && keys.every((key) => typeof (value as Loose)![key] === "string");

export function isIssuedInvoice(value: unknown): value is IssuedInvoice {
  return (
    hasStrings(value, ["paymentHash", "invoice", "macaroon", "expiresAt", "challenge"]) &&
    typeof value.amountSats === "number" &&
    HEADER_VALUE.test(value.challenge as string)
  );
}

export function isVerifyAnswer(value: unknown): value is VerifyAnswer {
  const v = value as Loose;
  return v?.valid === true ? hasStrings(v, ["paymentHash"]) : v?.valid === false && hasStrings(v.error, ["code"]);
}

export function isDiscoveryDocument(value: unknown): value is DiscoveryDocument {
  return hasStrings((value as Loose)?.tenant, ["name"]);
}
