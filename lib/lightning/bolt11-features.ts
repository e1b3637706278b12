/**
 * The BOLT11 `9` field: a big-endian bit vector where bit 0 is the least significant
 * bit of the last word. Even bits are compulsory, odd bits optional (BOLT 9).
 */

/** Feature bit numbers this node uses (BOLT 9). */
export const FEATURE = {
  varOnionOptinOptional: 9,
  paymentSecretCompulsory: 14,
  paymentSecretOptional: 15,
  basicMppOptional: 17,
} as const;

/** Words for a set of feature bits, as few as hold the highest bit (BOLT11: minimum data_length). */
export function featureBitsToWords(featureBits: readonly number[]): number[] {
  if (featureBits.length === 0) return [];
  for (const bit of featureBits) {
    if (!Number.isSafeInteger(bit) || bit < 0 || bit >= 1023 * 5) throw new RangeError(`invalid feature bit ${bit}`);
  }
  const highestBit = Math.max(...featureBits);
  const words = new Array<number>(Math.floor(highestBit / 5) + 1).fill(0);
  for (const bit of featureBits) {
    words[words.length - 1 - Math.floor(bit / 5)]! |= 1 << (bit % 5);
  }
  return words;
}

/** The set feature bits, lowest first. */
export function wordsToFeatureBits(words: readonly number[]): number[] {
  const bits: number[] = [];
  for (let wordIndex = words.length - 1; wordIndex >= 0; wordIndex--) {
    const word = words[wordIndex]!;
    const lowestBit = (words.length - 1 - wordIndex) * 5;
    for (let offset = 0; offset < 5; offset++) if (word & (1 << offset)) bits.push(lowestBit + offset);
  }
  return bits;
}
