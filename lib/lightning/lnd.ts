/**
 * LND through its REST proxy (api.lightning.community, lnrpc and routerrpc):
 *
 *   createInvoice  POST /v1/invoices            AddInvoice
 *   lookupInvoice  GET  /v1/invoice/{r_hash_str} LookupInvoice (hash as hex: a string field)
 *   payInvoice     POST /v2/router/send          SendPaymentV2, a server stream
 *   lookupPayment  GET  /v2/router/track/{payment_hash}  TrackPaymentV2, a server stream
 *   balanceMsat    GET  /v1/balance/channels     ChannelBalance (local_balance: what we can send)
 *
 * REST conventions that matter here: the macaroon goes in `Grpc-Metadata-macaroon` as
 * hex; 64-bit integers travel as JSON strings; `bytes` fields are base64 (r_hash,
 * r_preimage) while lnrpc.Payment's hashes and preimage are hex strings; a `bytes` path
 * parameter (track's payment_hash) is base64, URL-safe so it fits in a path; streams are
 * newline-delimited JSON objects `{"result": ...}`, or `{"error": {code, message}}`.
 * Errors outside streams are `{code, message, details}` with an HTTP status from the gRPC
 * code (LND answers a missing or wrong macaroon with 500 and code 2, not 401).
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
import {
  createPinnedCertFetch,
  errorFromResponse,
  errorMessageOf,
  joinUrl,
  readJsonLines,
  requestJson,
  sendRequest,
  type FetchFunction,
} from "./http";

export interface LndBackendOptions {
  /** e.g. https://127.0.0.1:8080 */
  restUrl: string;
  /** The (invoice + offchain) macaroon file's bytes as hex. */
  macaroonHex: string;
  /** PEM contents of LND's tls.cert, for its self-signed certificate. */
  tlsCert?: string;
  fetch?: FetchFunction;
  /** How long lookupPayment waits for TrackPaymentV2's first update. */
  trackTimeoutMs?: number;
  /** How long past timeoutSeconds payInvoice keeps listening before it answers in_flight. */
  payGraceMs?: number;
}

/** AddInvoiceResponse. */
interface LndAddInvoiceResponse {
  r_hash: string;
  payment_request: string;
  add_index?: string;
  payment_addr?: string;
}

/** The lnrpc.Invoice fields we read. */
interface LndInvoice {
  state?: "OPEN" | "SETTLED" | "CANCELED" | "ACCEPTED";
  r_preimage?: string;
  settle_date?: string;
  amt_paid_msat?: string;
  creation_date?: string;
  expiry?: string;
}

/** The lnrpc.Payment fields we read. */
interface LndPayment {
  payment_hash?: string;
  status?: "UNKNOWN" | "IN_FLIGHT" | "SUCCEEDED" | "FAILED" | "INITIATED";
  payment_preimage?: string;
  value_msat?: string;
  fee_msat?: string;
  failure_reason?: string;
}

/** gRPC status codes LND's REST errors carry. */
const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
/**
 * LND's timeout_seconds only stops new attempts; HTLCs already out can take longer to
 * resolve, so we listen a little longer before calling the payment in flight.
 */
const DEFAULT_PAY_GRACE_MS = 15_000;

export function createLndBackend(options: LndBackendOptions): LightningBackend {
  if (!/^[0-9a-fA-F]+$/.test(options.macaroonHex)) throw new Error("LND macaroon must be hex (xxd -p -c 1000 admin.macaroon)");
  const fetchImpl = options.fetch ?? (options.tlsCert ? createPinnedCertFetch(options.tlsCert) : fetch);
  const headers = { "Grpc-Metadata-macaroon": options.macaroonHex };
  const url = (path: string) => joinUrl(options.restUrl, path);
  const trackTimeoutMs = options.trackTimeoutMs ?? 10_000;
  const payGraceMs = options.payGraceMs ?? DEFAULT_PAY_GRACE_MS;

  async function trackPayment(paymentHashHex: string): Promise<OutgoingPaymentStatus> {
    // Without no_inflight_updates LND sends the payment's current state at once; we take
    // that first update and hang up. (With it, an in-flight payment would answer nothing.)
    const path = `/v2/router/track/${hexToBase64Url(paymentHashHex)}?no_inflight_updates=false`;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), trackTimeoutMs);
    try {
      const response = await sendRequest(fetchImpl, "lnd", url(path), { method: "GET", headers, signal: deadline.signal });
      if (response.status === 404) return { state: "unknown" };
      if (!response.ok) throw errorFromResponse("lnd", "GET", url(path), response.status, await response.text());
      for await (const line of readJsonLines(response, "lnd")) {
        const chunk = line as { result?: LndPayment; error?: { code?: number; grpc_code?: number; message?: string } };
        if (chunk.error) {
          if (isNotFound(chunk.error)) return { state: "unknown" }; // "payment isn't initiated"
          throw new LightningError("lnd", `TrackPaymentV2 failed: ${errorMessageOf(chunk) ?? JSON.stringify(chunk.error)}`);
        }
        if (chunk.result) return paymentStatus(chunk.result);
      }
      throw new LightningError("lnd", "TrackPaymentV2 ended without an update");
    } catch (error) {
      if (deadline.signal.aborted) throw new LightningError("lnd", `TrackPaymentV2 sent no update within ${trackTimeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    name: "lnd",

    async createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice> {
      const created = await requestJson<LndAddInvoiceResponse>(fetchImpl, "lnd", url("/v1/invoices"), {
        method: "POST",
        headers,
        body: { value_msat: input.amountMsat.toString(), memo: input.description, expiry: String(input.expirySeconds) },
      });
      if (typeof created.r_hash !== "string" || typeof created.payment_request !== "string") {
        throw new LightningError("lnd", "AddInvoice answered without r_hash or payment_request");
      }
      // Expiry counts from the invoice's own timestamp, which LND chose.
      const decoded = decodeOrThrow(created.payment_request, "AddInvoice returned an invoice we cannot read");
      const paymentHash = base64ToHex(created.r_hash);
      if (decoded.paymentHash !== paymentHash) throw new LightningError("lnd", "AddInvoice's r_hash does not match its payment_request");
      return { paymentHash, bolt11: created.payment_request, expiresAt: new Date(decoded.expiresAt * 1000) };
    },

    async lookupInvoice(paymentHash: string): Promise<IncomingInvoiceStatus> {
      const invoice = await requestJson<LndInvoice>(fetchImpl, "lnd", url(`/v1/invoice/${checkHashHex(paymentHash)}`), {
        method: "GET",
        headers,
      });
      switch (invoice.state) {
        case "SETTLED":
          if (!invoice.r_preimage) throw new LightningError("lnd", `invoice ${paymentHash} is settled but has no r_preimage`);
          return {
            state: "settled",
            preimage: base64ToHex(invoice.r_preimage),
            settledAt: new Date(Number(invoice.settle_date ?? 0) * 1000),
            amountPaidMsat: BigInt(invoice.amt_paid_msat ?? "0"),
          };
        case "CANCELED":
          return { state: "expired" }; // LND cancels invoices when they expire
        case "OPEN":
        case "ACCEPTED": // HTLCs held but not settled (hold invoices): not paid yet
        case undefined:
          // Pending even past its expiry by our clock: LND decides when it expires (it
          // cancels the invoice), and until then a payment can still settle it.
          return { state: "pending" };
        default:
          throw new LightningError("lnd", `invoice ${paymentHash} has unknown state ${String(invoice.state)}`);
      }
    },

    async payInvoice(input: PayInvoiceInput): Promise<OutgoingPaymentStatus> {
      const paymentHash = decodeOrThrow(input.bolt11, "cannot pay an invalid invoice").paymentHash;
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), input.timeoutSeconds * 1000 + payGraceMs);
      try {
        const response = await sendRequest(fetchImpl, "lnd", url("/v2/router/send"), {
          method: "POST",
          headers,
          body: {
            payment_request: input.bolt11,
            timeout_seconds: input.timeoutSeconds,
            fee_limit_msat: input.maxFeeMsat.toString(),
            no_inflight_updates: true,
          },
          signal: deadline.signal,
        });
        if (!response.ok) {
          const bodyText = await response.text();
          if (alreadyExists(bodyText)) return trackPayment(paymentHash); // paid or in flight already: never pay twice
          throw errorFromResponse("lnd", "POST", url("/v2/router/send"), response.status, bodyText);
        }
        let last: LndPayment | undefined;
        for await (const line of readJsonLines(response, "lnd")) {
          const chunk = line as { result?: LndPayment; error?: { code?: number; grpc_code?: number; message?: string } };
          if (chunk.error) {
            if ((chunk.error.code ?? chunk.error.grpc_code) === GRPC_ALREADY_EXISTS) return trackPayment(paymentHash);
            throw new LightningError("lnd", `SendPaymentV2 failed: ${errorMessageOf(chunk) ?? JSON.stringify(chunk.error)}`);
          }
          if (chunk.result) {
            last = chunk.result;
            if (last.status === "SUCCEEDED" || last.status === "FAILED") break;
          }
        }
        // A stream that ended on IN_FLIGHT means LND still holds HTLCs: look again later.
        return last ? paymentStatus(last) : { state: "in_flight" };
      } catch (error) {
        // Our deadline passed while LND was still paying: the outcome is not known yet.
        if (deadline.signal.aborted) return { state: "in_flight" };
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },

    lookupPayment(paymentHash: string): Promise<OutgoingPaymentStatus> {
      return trackPayment(checkHashHex(paymentHash));
    },

    async balanceMsat(): Promise<bigint> {
      const balance = await requestJson<{ local_balance?: { sat?: string; msat?: string }; balance?: string }>(
        fetchImpl,
        "lnd",
        url("/v1/balance/channels"),
        { method: "GET", headers },
      );
      // local_balance since LND 0.13; the older `balance` field is whole sats.
      if (balance.local_balance?.msat !== undefined) return BigInt(balance.local_balance.msat);
      if (balance.local_balance?.sat !== undefined) return BigInt(balance.local_balance.sat) * 1000n;
      if (balance.balance !== undefined) return BigInt(balance.balance) * 1000n;
      throw new LightningError("lnd", "ChannelBalance answered without local_balance");
    },
  };
}

function paymentStatus(payment: LndPayment): OutgoingPaymentStatus {
  switch (payment.status) {
    case "SUCCEEDED":
      if (!payment.payment_preimage) throw new LightningError("lnd", "payment succeeded without a preimage");
      return {
        state: "succeeded",
        preimage: payment.payment_preimage.toLowerCase(),
        feeMsat: BigInt(payment.fee_msat ?? "0"),
        amountMsat: BigInt(payment.value_msat ?? "0"),
      };
    case "FAILED":
      return { state: "failed", reason: payment.failure_reason ?? "FAILURE_REASON_UNKNOWN" };
    case "IN_FLIGHT":
    case "INITIATED":
    case "UNKNOWN":
    case undefined:
      return { state: "in_flight" };
    default:
      throw new LightningError("lnd", `payment has unknown status ${String(payment.status)}`);
  }
}

function alreadyExists(bodyText: string): boolean {
  try {
    const body = JSON.parse(bodyText) as { code?: number; error?: { code?: number; grpc_code?: number } };
    return (body.code ?? body.error?.code ?? body.error?.grpc_code) === GRPC_ALREADY_EXISTS;
  } catch {
    return false;
  }
}

function isNotFound(error: { code?: number; grpc_code?: number; message?: string }): boolean {
  return (error.code ?? error.grpc_code) === GRPC_NOT_FOUND || /isn't initiated|not found/i.test(error.message ?? "");
}

function checkHashHex(paymentHash: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(paymentHash))
    throw new LightningError("lnd", `payment hash must be 64 hex characters, got "${paymentHash}"`);
  return paymentHash.toLowerCase();
}

function base64ToHex(base64: string): string {
  return Buffer.from(base64, "base64").toString("hex");
}

/**
 * URL-safe base64 WITH its "=" padding: grpc-gateway decodes bytes path parameters with
 * Go's padded StdEncoding, then padded URLEncoding, so unpadded base64url is refused.
 */
function hexToBase64Url(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

function decodeOrThrow(bolt11: string, context: string): DecodedInvoice {
  try {
    return decodeInvoiceBasic(bolt11);
  } catch (error) {
    throw new LightningError("lnd", `${context}: ${(error as Error).message}`);
  }
}
