/**
 * LNbits through its wallet API (`X-Api-Key`: the wallet's invoice key to receive and
 * read, its admin key to pay):
 *
 *   createInvoice  POST /api/v1/payments {out:false, amount, unit:"sat", memo, expiry}
 *   lookupInvoice  GET  /api/v1/payments/{payment_hash}  -> {paid, preimage, details}
 *   payInvoice     POST /api/v1/payments {out:true, bolt11} with the admin key, then GET
 *   lookupPayment  GET  /api/v1/payments/{payment_hash}  (404: we never sent it)
 *   balanceMsat    GET  /api/v1/wallet  -> {id, name, balance} (msat)
 *
 * `out` defaults to true in LNbits' CreateInvoice model, so we always send out:false
 * explicitly when receiving. Amounts in requests are whole sats; amounts in `details`
 * are millisatoshis (negative for outgoing payments, fees too). Older LNbits answered a
 * create with `payment_request`, 1.x answers with the Payment itself (`bolt11`); both
 * are read. Errors are FastAPI's `{detail}`; a payment error is status 520 with
 * `{detail, status: "failed" | "pending"}`.
 */

import {
  LightningError,
  type CreateInvoiceInput,
  type CreatedInvoice,
  type IncomingInvoiceStatus,
  type LightningBackend,
  type OutgoingPaymentStatus,
  type PayInvoiceInput,
} from "./backend";
import { decodeInvoiceBasic, type DecodedInvoice } from "./bolt11";
import { errorFromResponse, errorMessageOf, joinUrl, requestJson, sendRequest, type FetchFunction } from "./http";

export interface LnbitsBackendOptions {
  /** e.g. https://legend.lnbits.com */
  url: string;
  /** The wallet's "Invoice/read key". */
  invoiceKey: string;
  /** The wallet's "Admin key": only payouts use it. */
  adminKey: string;
  fetch?: FetchFunction;
  /** How often payInvoice asks again while LNbits reports the payment pending. */
  pollIntervalMs?: number;
}

/** POST /api/v1/payments answer: 0.x `{payment_hash, payment_request, checking_id}`, 1.x the Payment. */
interface LnbitsCreatedPayment {
  payment_hash?: string;
  payment_request?: string;
  bolt11?: string;
  status?: string;
  preimage?: string | null;
}

/** GET /api/v1/payments/{hash} answer. */
interface LnbitsPaymentCheck {
  paid?: boolean;
  status?: string;
  preimage?: string | null;
  details?: {
    amount?: number;
    fee?: number;
    status?: string;
    pending?: boolean;
    /** ISO date (1.x) or unix seconds (0.x). */
    expiry?: string | number | null;
    time?: string | number | null;
    updated_at?: string | null;
    preimage?: string | null;
  };
}

const MSAT_PER_SAT = 1000n;
/** LNbits leaves this preimage on payments it has not (yet) got one for. */
const NO_PREIMAGE = "0".repeat(64);

export function createLnbitsBackend(options: LnbitsBackendOptions): LightningBackend {
  const fetchImpl = options.fetch ?? fetch;
  const url = (path: string) => joinUrl(options.url, path);
  const invoiceKeyHeaders = { "X-Api-Key": options.invoiceKey };
  const adminKeyHeaders = { "X-Api-Key": options.adminKey };
  const pollIntervalMs = options.pollIntervalMs ?? 1000;

  /** GET /api/v1/payments/{hash}; null when LNbits has no such payment (404). */
  async function checkPayment(paymentHash: string, headers: Record<string, string>): Promise<LnbitsPaymentCheck | null> {
    const path = url(`/api/v1/payments/${checkHashHex(paymentHash)}`);
    const response = await sendRequest(fetchImpl, "lnbits", path, { method: "GET", headers });
    const text = await response.text();
    if (response.status === 404) return null;
    if (!response.ok) throw errorFromResponse("lnbits", "GET", path, response.status, text);
    return parseJson<LnbitsPaymentCheck>(text);
  }

  async function lookupPayment(paymentHash: string): Promise<OutgoingPaymentStatus> {
    const check = await checkPayment(paymentHash, adminKeyHeaders);
    return check ? outgoingStatus(check) : { state: "unknown" };
  }

  return {
    name: "lnbits",

    async createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice> {
      if (input.amountMsat <= 0n || input.amountMsat % MSAT_PER_SAT !== 0n) {
        throw new LightningError("lnbits", `LNbits invoices are in whole sats; ${input.amountMsat} msat is not a whole number of sats`);
      }
      const created = await requestJson<LnbitsCreatedPayment>(fetchImpl, "lnbits", url("/api/v1/payments"), {
        method: "POST",
        headers: invoiceKeyHeaders,
        body: {
          out: false,
          amount: Number(input.amountMsat / MSAT_PER_SAT),
          unit: "sat",
          memo: input.description,
          expiry: input.expirySeconds,
        },
      });
      const bolt11 = created.bolt11 ?? created.payment_request;
      if (typeof bolt11 !== "string" || !bolt11) throw new LightningError("lnbits", "invoice created without a bolt11 or payment_request");
      const decoded = decodeOrThrow(bolt11, "LNbits returned an invoice we cannot read");
      if (created.payment_hash && created.payment_hash.toLowerCase() !== decoded.paymentHash) {
        throw new LightningError("lnbits", "the payment_hash LNbits returned does not match its invoice");
      }
      if (decoded.amountMsat !== input.amountMsat) {
        throw new LightningError(
          "lnbits",
          `LNbits made an invoice for ${decoded.amountMsat} msat, not the ${input.amountMsat} msat asked for`,
        );
      }
      return { paymentHash: decoded.paymentHash, bolt11, expiresAt: new Date(decoded.expiresAt * 1000) };
    },

    async lookupInvoice(paymentHash: string): Promise<IncomingInvoiceStatus> {
      const check = await checkPayment(paymentHash, invoiceKeyHeaders);
      if (!check) throw new LightningError("lnbits", `no invoice with payment hash ${paymentHash}`, 404);
      const details = check.details ?? {};
      if (check.paid) {
        const preimage = check.preimage ?? details.preimage;
        if (!preimage || preimage === NO_PREIMAGE)
          throw new LightningError("lnbits", `invoice ${paymentHash} is paid but LNbits gave no preimage`);
        return {
          state: "settled",
          preimage: preimage.toLowerCase(),
          settledAt: dateOf(details.updated_at ?? details.time) ?? new Date(),
          amountPaidMsat: absBigInt(details.amount ?? 0),
        };
      }
      // Expired only when LNbits says so ("failed"), not by our clock: until then a payment
      // can still arrive. (LNbits deletes expired invoices; the watcher reads that 404.)
      if ((check.status ?? details.status) === "failed") return { state: "expired" };
      return { state: "pending" };
    },

    async payInvoice(input: PayInvoiceInput): Promise<OutgoingPaymentStatus> {
      const { paymentHash } = decodeOrThrow(input.bolt11, "cannot pay an invalid invoice");
      // Never pay twice: a payment of ours that succeeded or is still pending is the answer.
      // (Only outgoing ones: amount < 0. A failed one may be tried again.)
      const earlier = await checkPayment(paymentHash, adminKeyHeaders);
      if (earlier && (earlier.details?.amount ?? 0) < 0) {
        const status = outgoingStatus(earlier);
        if (status.state !== "failed") return status;
      }

      const path = url("/api/v1/payments");
      // LNbits has no per-payment fee limit in this API: its own fee reserve applies.
      const response = await sendRequest(fetchImpl, "lnbits", path, {
        method: "POST",
        headers: adminKeyHeaders,
        body: { out: true, bolt11: input.bolt11 },
      });
      const text = await response.text();
      if (response.status === 520) {
        // A payment error: LNbits says whether the payment failed or is still pending.
        const body = tryParseJson(text) as { status?: string } | undefined;
        if (body?.status !== "pending") return { state: "failed", reason: errorMessageOf(body) ?? (text || "payment failed") };
      } else if (response.status === 400) {
        // Refused before sending (bad invoice, insufficient balance): nothing left the wallet.
        return { state: "failed", reason: errorMessageOf(tryParseJson(text)) ?? (text || "payment refused") };
      } else if (!response.ok) {
        // 401/403: wrong key; 5xx: outcome unknown. Either way the caller must look before retrying.
        throw errorFromResponse("lnbits", "POST", path, response.status, text);
      }

      // Created or pending: ask LNbits for the outcome until it is final or time runs out.
      const giveUpAt = Date.now() + input.timeoutSeconds * 1000;
      for (;;) {
        const status = await lookupPayment(paymentHash);
        if (status.state === "succeeded" || status.state === "failed") return status;
        if (Date.now() + pollIntervalMs > giveUpAt) return status.state === "unknown" ? { state: "in_flight" } : status;
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      }
    },

    lookupPayment,

    async balanceMsat(): Promise<bigint> {
      const wallet = await requestJson<{ balance?: number }>(fetchImpl, "lnbits", url("/api/v1/wallet"), {
        method: "GET",
        headers: invoiceKeyHeaders,
      });
      if (typeof wallet.balance !== "number") throw new LightningError("lnbits", "GET /api/v1/wallet answered without a balance");
      return BigInt(Math.trunc(wallet.balance));
    },
  };
}

function outgoingStatus(check: LnbitsPaymentCheck): OutgoingPaymentStatus {
  const details = check.details ?? {};
  if (check.paid) {
    const preimage = check.preimage ?? details.preimage;
    if (!preimage || preimage === NO_PREIMAGE) throw new LightningError("lnbits", "payment succeeded but LNbits gave no preimage");
    return {
      state: "succeeded",
      preimage: preimage.toLowerCase(),
      feeMsat: absBigInt(details.fee ?? 0),
      amountMsat: absBigInt(details.amount ?? 0),
    };
  }
  if ((check.status ?? details.status) === "failed") return { state: "failed", reason: "LNbits reports the payment failed" };
  return { state: "in_flight" };
}

function decodeOrThrow(bolt11: string, context: string): DecodedInvoice {
  try {
    return decodeInvoiceBasic(bolt11);
  } catch (error) {
    throw new LightningError("lnbits", `${context}: ${(error as Error).message}`);
  }
}

function checkHashHex(paymentHash: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(paymentHash))
    throw new LightningError("lnbits", `payment hash must be 64 hex characters, got "${paymentHash}"`);
  return paymentHash.toLowerCase();
}

/** LNbits amounts are msat integers, negative for money going out. */
function absBigInt(msat: number): bigint {
  const value = BigInt(Math.trunc(msat));
  return value < 0n ? -value : value;
}

/** 1.x sends ISO dates (naive ones are UTC), 0.x unix seconds. */
function dateOf(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return new Date(value * 1000);
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parseJson<T>(text: string): T {
  const parsed = tryParseJson(text);
  if (parsed === undefined) throw new LightningError("lnbits", `answer is not JSON: ${text.slice(0, 200)}`);
  return parsed as T;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
