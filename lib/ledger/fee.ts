// The platform fee: floor(amount × bps / 10,000); the owner gets exactly the rest, so every
// settlement balances to the millisatoshi. No minimum fee.
export const DEFAULT_FEE_BPS = 30;

export function platformFeeBps(): number {
  const bps = Number(process.env.PLATFORM_FEE_BPS ?? DEFAULT_FEE_BPS);
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000)
    throw new Error(`PLATFORM_FEE_BPS must be an integer from 0 to 10000, got ${process.env.PLATFORM_FEE_BPS}`);
  return bps;
}

export function splitFee(amountMsat: bigint, bps = platformFeeBps()): { feeMsat: bigint; ownerMsat: bigint } {
  if (amountMsat < 0n) throw new Error("amountMsat must not be negative");
  const feeMsat = (amountMsat * BigInt(bps)) / 10_000n;
  return { feeMsat, ownerMsat: amountMsat - feeMsat };
}
