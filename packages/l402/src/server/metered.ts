/**
 * A metered call (the endpoint sells a prepaid balance): the service reserved up to the
 * endpoint's maximum at verify; the handler reports what the call cost with charge(); the
 * adapter settles it after the answer. Shared by both adapters.
 */
import type { L402Payment } from "./options.js";

export const BALANCE_HEADER = "Tollbooth-Balance-Msat";

export interface MeteredCall {
  chargedMsat: bigint;
  description?: string;
  /** The balance after what has been charged so far (never below the reservation's floor). */
  balance(): string;
}

/** Gives `payment` its charge(); `onChange` hears the balance now and after each charge. */
export function meter(payment: L402Payment, msatPerUnit: number | undefined, onChange: (balanceMsat: string) => void): MeteredCall {
  const reserved = BigInt(payment.reservedMsat!);
  const call: MeteredCall = {
    chargedMsat: 0n,
    balance: () => String(BigInt(payment.balanceMsat!) - (call.chargedMsat < reserved ? call.chargedMsat : reserved)),
  };
  payment.charge = (amount, description) => {
    const units = typeof amount === "object";
    // Whole msat only: a fraction, a negative or a unit charge without a rate is a bug in the handler.
    // Rounded up to whole msat; the epsilon keeps 40.2 × 25 (1005.0000000000001) at 1005.
    const msat = units ? Math.ceil(amount.units * msatPerUnit! - 1e-9) : amount;
    // (BigInt() refuses what else is left: Infinity, a fraction's NaN.)
    if (!(msat >= 0) || (typeof msat === "number" && msat % 1)) throw new TypeError(`charge ${msat}`);
    call.chargedMsat += BigInt(msat);
    if (description) call.description = description.slice(0, 200);
    onChange(call.balance());
  };
  onChange(call.balance());
  return call;
}
