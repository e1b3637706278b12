/**
 * BOLT11 amounts: the number in the human-readable part, in bitcoin, with an
 * optional multiplier letter. We hold amounts as millisatoshis (bigint) everywhere.
 *
 * 1 BTC = 100,000,000,000 msat, so the multipliers in msat are:
 *   (none) 1e11, m 1e8, u 1e5, n 100, p 0.1 (ten pico-BTC per msat).
 */

const MSAT_PER_BTC = 100_000_000_000n;

/** Largest unit first: BOLT11 says to use the largest multiplier that keeps the amount whole. */
const MULTIPLIERS: ReadonlyArray<{ letter: "" | "m" | "u" | "n"; msat: bigint }> = [
  { letter: "", msat: MSAT_PER_BTC },
  { letter: "m", msat: 100_000_000n },
  { letter: "u", msat: 100_000n },
  { letter: "n", msat: 100n },
];

const PICO_BTC_PER_MSAT = 10n;

/** Encodes a positive millisatoshi amount as the shortest BOLT11 amount text, e.g. 250000000n -> "2500u". */
export function encodeAmount(amountMsat: bigint): string {
  if (amountMsat <= 0n) throw new RangeError(`invoice amount must be positive, got ${amountMsat} msat`);
  for (const { letter, msat } of MULTIPLIERS) {
    if (amountMsat % msat === 0n) return `${amountMsat / msat}${letter}`;
  }
  // Sub-100-msat precision needs pico-BTC; the result always ends in 0 as the spec requires.
  return `${amountMsat * PICO_BTC_PER_MSAT}p`;
}

/** Decodes BOLT11 amount text to millisatoshis; "" (no amount) gives null. */
export function decodeAmount(amountText: string): bigint | null {
  if (amountText === "") return null;
  const match = /^([1-9][0-9]*)([munp]?)$/.exec(amountText);
  if (!match) throw new Error(`invalid invoice amount "${amountText}"`);
  const value = BigInt(match[1]!);
  const letter = match[2]!;
  if (letter === "p") {
    // A trailing non-zero digit would be a fraction of a millisatoshi, which cannot be paid.
    if (value % PICO_BTC_PER_MSAT !== 0n) throw new Error(`invoice amount "${amountText}" has sub-millisatoshi precision`);
    return value / PICO_BTC_PER_MSAT;
  }
  const multiplier = MULTIPLIERS.find((m) => m.letter === letter)!;
  return value * multiplier.msat;
}
