// Millisatoshis to the numbers the stats show. Sats are msat / 1000 as a number (a 300 msat
// fee is 0.3 sats), exact for any amount below 2^53 msat (~90,000 BTC).
export function msatToSats(msat: bigint): number {
  return Number(msat) / 1000;
}

/** A SUM() or BIGINT column read as text (null when nothing was summed). */
export function msat(value: string | bigint | null | undefined): bigint {
  return value === null || value === undefined ? 0n : BigInt(value);
}

/** msat as an exact decimal number of sats ("99.7", "-0.3", "100"): for exports. */
export function msatToSatsText(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const fraction = (abs % 1000n).toString().padStart(3, "0").replace(/0+$/, "");
  return `${sign}${abs / 1000n}${fraction ? `.${fraction}` : ""}`;
}

/** The inverse of msatToSats: the stats' fractional sats (0.3) back to msat (300n), for display. */
export function satsToMsat(sats: number): bigint {
  return BigInt(Math.round(sats * 1000));
}
