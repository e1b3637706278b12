// Millisatoshis to the numbers the stats show. Sats are msat / 1000 as a number (a 300 msat
// fee is 0.3 sats), exact for any amount below 2^53 msat (~90,000 BTC).
export function msatToSats(msat: bigint): number {
  return Number(msat) / 1000;
}

/** A SUM() or BIGINT column read as text (null when nothing was summed). */
export function msat(value: string | bigint | null | undefined): bigint {
  return value === null || value === undefined ? 0n : BigInt(value);
}

/** msat (an integer, or its decimal text) as an exact decimal number of sats ("99.7", "-0.3",
 *  "100"): for exports. String arithmetic: a million rows, no BigInt division. */
export function msatToSatsText(value: bigint | string): string {
  const text = typeof value === "bigint" ? value.toString() : value;
  const negative = text.startsWith("-");
  const digits = (negative ? text.slice(1) : text).padStart(4, "0");
  const fraction = digits.slice(-3).replace(/0+$/, "");
  const whole = digits.slice(0, -3).replace(/^0+(?=\d)/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** The inverse of msatToSats: the stats' fractional sats (0.3) back to msat (300n), for display. */
export function satsToMsat(sats: number): bigint {
  return BigInt(Math.round(sats * 1000));
}
