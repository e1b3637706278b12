// The simulated LNURL-pay server (development): answers LUD-16 lookups for any user on the
// app's own host, and its callback hands out real BOLT11 invoices of the simulated node
// whose description hash is sha256(metadata), exactly what a real server does. Payouts in
// development pay those invoices with the simulated node, which settles its own invoices,
// so the whole payout path runs without a real Lightning address.
import { createHash } from "node:crypto";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Bolt11Network } from "../lightning/bolt11";
import { createSimulatedInvoice } from "../lightning/simulated";

export const SIMULATED_MIN_SENDABLE_MSAT = 1_000n;
/** 1,000,000 sats: generous for development payouts. */
export const SIMULATED_MAX_SENDABLE_MSAT = 1_000_000_000n;
const INVOICE_EXPIRY_SECONDS = 600;

const USER_PATTERN = /^[a-z0-9._+-]{1,64}$/;

export interface SimulatedLnurlTarget {
  user: string;
  /** The origin the request came in on (http://localhost:3000): the address's host and the callback's base. */
  origin: string;
}

function checkedUser(user: string): string {
  const lower = user.toLowerCase();
  if (!USER_PATTERN.test(lower)) throw new AppError("not_found_error", "lightning_address_not_found", "No such Lightning address here.");
  return lower;
}

/** LUD-06 metadata: a text/plain description and LUD-16's text/identifier. */
export function simulatedMetadata(target: SimulatedLnurlTarget): string {
  const address = `${checkedUser(target.user)}@${new URL(target.origin).host}`;
  return JSON.stringify([
    ["text/plain", `Payout to ${address} (simulated Lightning, development only)`],
    ["text/identifier", address],
  ]);
}

/** The document at /.well-known/lnurlp/:user. */
export function simulatedPayRequest(target: SimulatedLnurlTarget) {
  const user = checkedUser(target.user);
  return {
    tag: "payRequest" as const,
    callback: `${target.origin}/api/dev/lnurlp/${encodeURIComponent(user)}/callback`,
    minSendable: Number(SIMULATED_MIN_SENDABLE_MSAT),
    maxSendable: Number(SIMULATED_MAX_SENDABLE_MSAT),
    metadata: simulatedMetadata(target),
    commentAllowed: 0,
  };
}

/**
 * The callback: an invoice for `amountMsat` on `network` (testnet by default, as test-mode
 * payouts are paid by the testnet node; `network=mainnet`, a development-only query
 * parameter, for live-mode payouts on the simulated node). LUD-06 errors are AppErrors
 * the route turns into {status:"ERROR", reason}.
 */
export async function simulatedLnurlInvoice(
  db: Db,
  target: SimulatedLnurlTarget,
  amountMsat: string | undefined,
  network: Bolt11Network = "testnet",
) {
  if (!amountMsat || !/^\d{1,18}$/.test(amountMsat)) {
    throw new AppError("invalid_request_error", "invalid_amount", "amount (millisatoshis) is required", { param: "amount" });
  }
  const amount = BigInt(amountMsat);
  if (amount < SIMULATED_MIN_SENDABLE_MSAT || amount > SIMULATED_MAX_SENDABLE_MSAT) {
    throw new AppError(
      "invalid_request_error",
      "amount_out_of_range",
      `amount must be between ${SIMULATED_MIN_SENDABLE_MSAT} and ${SIMULATED_MAX_SENDABLE_MSAT} msat`,
      { param: "amount" },
    );
  }
  const descriptionHash = createHash("sha256").update(simulatedMetadata(target), "utf8").digest();
  const invoice = await createSimulatedInvoice(
    db,
    { network },
    { amountMsat: amount, descriptionHash, expirySeconds: INVOICE_EXPIRY_SECONDS },
  );
  return { pr: invoice.bolt11, routes: [] as never[] };
}
