// The `data` of each event type Tollbooth itself emits, in one place so every path that
// emits an event (the hot verify statement and the settlement watcher, say) sends the same
// shape. Amounts as the API shapes them: whole sats as numbers, msat as strings.
import type { KeyMode } from "../keys/api-keys";

export function paymentSettledData(p: {
  paymentHash: string;
  mode: KeyMode;
  amountMsat: bigint;
  feeMsat: bigint;
  netMsat: bigint;
  endpoint: string | null;
  settledAt: Date;
  /** A metered endpoint's deposit or top-up: the prepaid balance it credits (fee and net 0). */
  prepaidBalanceId?: string | null;
}) {
  return {
    paymentHash: p.paymentHash,
    mode: p.mode,
    endpoint: p.endpoint,
    amountSats: Number(p.amountMsat / 1000n),
    amountMsat: p.amountMsat.toString(),
    feeMsat: p.feeMsat.toString(),
    netMsat: p.netMsat.toString(),
    settledAt: p.settledAt.toISOString(),
    prepaidBalanceId: p.prepaidBalanceId ?? null,
  };
}

export const paymentSettledKey = (paymentHash: string) => `payment.settled:${paymentHash}`;
