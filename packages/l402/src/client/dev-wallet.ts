/**
 * Tollbooth's dev wallet: `POST {baseUrl}/api/dev/pay {invoice}` pays a test-mode invoice
 * of the simulated Lightning node and answers `{preimage, paymentHash, amountSats,
 * alreadyPaid}`. It never pays live invoices; it exists so the whole L402 flow can be
 * walked without a real wallet.
 */
import { describeError } from "./describe-error.js";
import { L402WalletError } from "./errors.js";
import { readJsonBody, serviceErrorMessage } from "./http-json.js";
import { checkPreimage, type L402Wallet } from "./wallet.js";

export interface DevWalletOptions {
  /** The Tollbooth service, e.g. http://localhost:3000. */
  baseUrl: string;
  fetch?: typeof fetch;
}

export function devWallet(options: DevWalletOptions): L402Wallet {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const payUrl = new URL("api/dev/pay", withTrailingSlash(options.baseUrl)).toString();
  return {
    async payInvoice({ invoice }) {
      let response: Response;
      try {
        response = await fetchImpl(payUrl, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ invoice }),
        });
      } catch (error) {
        throw new L402WalletError("wallet_unavailable", `dev wallet at ${payUrl} is unreachable: ${describeError(error)}`, {
          cause: error,
        });
      }
      const body = await readJsonBody(response);
      if (!response.ok) {
        const reason = serviceErrorMessage(body) ?? `HTTP ${response.status}`;
        // 5xx: the wallet broke, not the payment; 4xx: it looked at this invoice and declined.
        const code = response.status >= 500 ? "wallet_unavailable" : "payment_failed";
        throw new L402WalletError(code, `dev wallet refused to pay: ${reason}`);
      }
      const preimage = (body as { preimage?: unknown } | undefined)?.preimage;
      return { preimage: checkPreimage({ invoice, preimage, walletName: "dev wallet" }) };
    },
  };
}

/** So a base URL with a path (https://host/tollbooth) keeps it when api/dev/pay is resolved against it. */
function withTrailingSlash(baseUrl: string): string {
  return baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
}
