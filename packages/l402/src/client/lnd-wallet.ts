/**
 * Pays through an LND node's REST proxy: `POST /v2/router/send` (routerrpc
 * SendPaymentV2), a server stream answered as newline-delimited JSON:
 *   {"result":{"status":"IN_FLIGHT"|"SUCCEEDED"|"FAILED", "payment_preimage":"<hex>", "failure_reason":"..."}}
 *   {"error":{"code":..., "message":"..."}}
 * The macaroon travels hex-encoded in `Grpc-Metadata-macaroon`. LND's TLS certificate is
 * usually self-signed: point NODE_EXTRA_CA_CERTS at tls.cert, or pass a fetch that trusts it.
 */
import { describeError } from "./describe-error.js";
import { L402WalletError } from "./errors.js";
import { readJsonLines } from "./json-lines.js";
import { readJsonBody, serviceErrorMessage } from "./http-json.js";
import { checkPreimage, type L402Wallet } from "./wallet.js";

export interface LndWalletOptions {
  /** e.g. https://127.0.0.1:8080 */
  restUrl: string;
  /** An admin or payment macaroon's bytes as hex (xxd -p -c0 admin.macaroon). */
  macaroonHex: string;
  fetch?: typeof fetch;
  /** How long LND may try routes before giving up. Default 60. */
  timeoutSeconds?: number;
  /** The most routing fee to pay on top of the invoice. Default 10 sats. LND refuses payments without a limit. */
  feeLimitSats?: number;
}

interface LndPaymentUpdate {
  status?: string;
  payment_preimage?: string;
  failure_reason?: string;
}

interface LndStreamLine {
  result?: LndPaymentUpdate;
  error?: { code?: number; message?: string };
}

const DEFAULT_TIMEOUT_SECONDS = 60;
const DEFAULT_FEE_LIMIT_SATS = 10;
// LND ends the stream by itself at timeout_seconds; this only guards against a proxy that hangs.
const STREAM_GRACE_MS = 30_000;

export function lndWallet(options: LndWalletOptions): L402Wallet {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(options.macaroonHex)) throw new TypeError("lndWallet: macaroonHex must be the macaroon's bytes as hex");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sendUrl = `${options.restUrl.replace(/\/+$/, "")}/v2/router/send`;
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const feeLimitSats = options.feeLimitSats ?? DEFAULT_FEE_LIMIT_SATS;

  return {
    async payInvoice({ invoice }) {
      const deadline = AbortSignal.timeout(timeoutSeconds * 1000 + STREAM_GRACE_MS);
      let response: Response;
      try {
        response = await fetchImpl(sendUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "grpc-metadata-macaroon": options.macaroonHex },
          body: JSON.stringify({
            payment_request: invoice,
            timeout_seconds: timeoutSeconds,
            // int64 fields travel as strings through LND's REST proxy.
            fee_limit_sat: String(feeLimitSats),
            // Only the final state matters here; skip the per-HTLC chatter.
            no_inflight_updates: true,
          }),
          signal: deadline,
        });
      } catch (error) {
        // Nothing was sent if the request itself failed, so this is not "maybe paid".
        throw new L402WalletError("wallet_unavailable", `LND at ${options.restUrl} is unreachable: ${describeError(error)}`, {
          cause: error,
        });
      }
      if (!response.ok) {
        const reason = serviceErrorMessage(await readJsonBody(response)) ?? `HTTP ${response.status}`;
        throw new L402WalletError("payment_failed", `LND refused to pay: ${reason}`);
      }
      const final = await readFinalUpdate(response, deadline);
      switch (final?.status) {
        case "SUCCEEDED":
          return { preimage: checkPreimage({ invoice, preimage: final.payment_preimage, walletName: "LND" }) };
        case "FAILED":
          throw new L402WalletError("payment_failed", `LND payment failed: ${final.failure_reason ?? "FAILURE_REASON_UNKNOWN"}`);
        default:
          // The stream ended (or timed out) with HTLCs still out: the payment may yet settle.
          throw new L402WalletError("payment_in_flight", "LND payment is still in flight; check the node before paying again");
      }
    },
  };
}

/** The last update before the stream ends, stopping at SUCCEEDED or FAILED. */
async function readFinalUpdate(response: Response, deadline: AbortSignal): Promise<LndPaymentUpdate | undefined> {
  let last: LndPaymentUpdate | undefined;
  try {
    for await (const line of readJsonLines(response)) {
      const { result, error } = line as LndStreamLine;
      if (error) throw new L402WalletError("payment_failed", `LND refused to pay: ${error.message ?? JSON.stringify(error)}`);
      if (!result) continue;
      last = result;
      if (result.status === "SUCCEEDED" || result.status === "FAILED") break;
    }
  } catch (error) {
    if (error instanceof L402WalletError) throw error;
    // The payment was handed to LND before the stream broke: its outcome is unknown.
    if (deadline.aborted) return last;
    throw new L402WalletError("payment_in_flight", `lost LND's payment stream: ${describeError(error)}`, { cause: error });
  }
  return last;
}
