// What a metered endpoint's token is: a key to a prepaid balance, not a number of uses.
import { randomBytes } from "node:crypto";
import type { EndpointRecord } from "../endpoints/registry";

/** "Never expiring" balances still need a token lifetime: ten years is as good as never. */
const NEVER_SECONDS = 10 * 365 * 86_400;

export function meteredTokenTerms(endpoint: EndpointRecord): EndpointRecord {
  return {
    ...endpoint,
    usesPerPayment: 0,
    tokenLifetimeSeconds: endpoint.balanceExpiry === "never" ? NEVER_SECONDS : endpoint.tokenLifetimeSeconds,
  };
}

export function newBalanceId(): string {
  return `pb_${randomBytes(12).toString("hex")}`;
}

/** The most one call may cost (reserved at verify); null: the whole balance. */
export function maxCostPerCallMsat(endpoint: Pick<EndpointRecord, "maxCostPerCallSats">): bigint | null {
  return endpoint.maxCostPerCallSats == null ? null : BigInt(endpoint.maxCostPerCallSats) * 1000n;
}

/** Under this the balance is "low": what one call may cost, else a tenth of the deposit. */
export function lowBalanceMsat(endpoint: Pick<EndpointRecord, "maxCostPerCallSats" | "priceSats">): bigint {
  return maxCostPerCallMsat(endpoint) ?? (BigInt(endpoint.priceSats) * 1000n) / 10n;
}
