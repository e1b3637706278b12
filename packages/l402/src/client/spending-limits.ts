/**
 * The payer's two limits: the most one call may cost (maxPriceSats) and the most this
 * client may spend in total (budgetSats). Amounts are millisatoshis in bigint, as
 * invoices carry them, so a 1500 msat invoice is not mistaken for 1 sat.
 */
import { L402PaymentRefused, type RefusalDetails } from "./errors.js";

export interface LimitsConfig {
  maxPriceSats: number;
  /** Omitted or Infinity: no total limit. */
  budgetSats?: number | undefined;
}

export class SpendingLimits {
  private readonly maxPriceMsat: bigint;
  private readonly budgetMsat: bigint | null;
  /** Paid, being paid, or possibly paid (in flight): everything the budget must already account for. */
  private committedMsat = 0n;

  constructor(config: LimitsConfig) {
    this.maxPriceMsat = satsToMsat(config.maxPriceSats, "maxPriceSats");
    const budgetSats = config.budgetSats ?? Number.POSITIVE_INFINITY;
    this.budgetMsat = budgetSats === Number.POSITIVE_INFINITY ? null : satsToMsat(budgetSats, "budgetSats");
  }

  /**
   * Checks an amount against both limits and, when it fits, counts it as committed in the
   * same synchronous step: two concurrent calls can then never both squeeze into the
   * last of the budget. Throws L402PaymentRefused (over_max_price, over_budget).
   */
  reserve(amountMsat: bigint, url: string): void {
    const details: RefusalDetails = {
      url,
      amountSats: msatToSats(amountMsat),
      maxPriceSats: msatToSats(this.maxPriceMsat),
      ...(this.budgetMsat !== null ? { remainingSats: msatToSats(this.budgetMsat - this.committedMsat) } : {}),
    };
    if (amountMsat > this.maxPriceMsat) {
      throw new L402PaymentRefused(
        "over_max_price",
        `invoice asks ${formatMsat(amountMsat)}, more than maxPriceSats ${formatMsat(this.maxPriceMsat)}`,
        details,
      );
    }
    if (this.budgetMsat !== null && this.committedMsat + amountMsat > this.budgetMsat) {
      const remainingMsat = this.budgetMsat - this.committedMsat;
      throw new L402PaymentRefused(
        "over_budget",
        `invoice asks ${formatMsat(amountMsat)}, but only ${formatMsat(remainingMsat)} of the ${formatMsat(this.budgetMsat)} budget is left`,
        details,
      );
    }
    this.committedMsat += amountMsat;
  }

  /** Gives a reservation back after the wallet said it did not pay. */
  release(amountMsat: bigint): void {
    this.committedMsat -= amountMsat;
  }
}

/** Whole sats, rounded up: a payment of 1500 msat reports 2 sats spent, never 1. */
export function msatToSats(amountMsat: bigint): number {
  return Number((amountMsat + 999n) / 1000n);
}

function satsToMsat(sats: number, name: string): bigint {
  if (!Number.isFinite(sats) || sats < 0) throw new TypeError(`${name} must be a finite number of sats >= 0, got ${sats}`);
  // Rounded down: a limit of 0.5 sats allows 500 msat, never 501.
  return BigInt(Math.floor(sats * 1000));
}

function formatMsat(amountMsat: bigint): string {
  return amountMsat % 1000n === 0n ? `${amountMsat / 1000n} sats` : `${amountMsat} msat`;
}
