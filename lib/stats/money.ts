// Millisatoshis to the numbers the stats show. Sats are msat / 1000 as a number (a 300 msat
// fee is 0.3 sats), exact for any amount below 2^53 msat (~90,000 BTC).
export function msatToSats(msat: bigint): number {
  return Number(msat) / 1000;
}

/** A SUM() or BIGINT column read as text (null when nothing was summed). */
export function msat(value: string | bigint | null | undefined): bigint {
  return value === null || value === undefined ? 0n : BigInt(value);
}
